import type { Command } from 'commander';
import type { DecideOptions } from '../actions/decide.ts';
import type { DecisionAction } from '../../model/result.ts';

const DESCRIPTIONS: Record<DecisionAction, string> = {
  retry: 'run the failed step a waiting run is stuck at again',
  skip: 'record the failed step a waiting run is stuck at as skipped and go on (the run can then not pass)',
};

/** `retry` and `skip`: the operator's answers to a step that failed for good (see `status`). */
export function registerDecisions(program: Command): void {
  for (const [action, description] of Object.entries(DESCRIPTIONS) as [DecisionAction, string][]) {
    program
      .command(action)
      .description(description)
      .argument('<workflowId>', 'the waiting run, as `udn-demo list` shows it')
      .option('-c, --config <file>', 'YAML config file')
      .option('--step <id>', 'the step you mean; refused if the run waits on another one')
      .addHelpText('after', '\nExit codes: 0 delivered, 2 no such run / it is not waiting / another step, 3 no worker answered.')
      .action(async (workflowId: string, opts: DecideOptions) => (await import('../actions/decide.ts')).decide(action, workflowId, opts));
  }
}
