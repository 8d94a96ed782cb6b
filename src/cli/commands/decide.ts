import type { Command } from 'commander';
import { connectClient } from '../../client/connection.ts';
import { loadConfig } from '../../config/load.ts';
import type { StepId } from '../../model/result.ts';
import type { DecisionAction } from '../../model/result.ts';
import { decideUpdate } from '../../workflows/operator-messages.ts';
import { deliverUpdate } from '../deliver-update.ts';
import { info } from '../io.ts';
import { stepOption } from '../step-option.ts';
import { openRun } from '../open-run.ts';
import { validateWorkflowId } from '../workflow-id.ts';

const ACTIONS: Record<DecisionAction, { description: string; done: (step: StepId) => string }> = {
  retry: { description: 'run the failed step a waiting run is stuck at again', done: (step) => `step ${step} runs again` },
  skip: { description: 'record the failed step a waiting run is stuck at as skipped and go on (the run can then not pass)', done: (step) => `step ${step} is recorded as skipped; the run goes on` },
};

/** `retry` and `skip`: the operator's answers to a step that failed for good (see `status`). */
export function registerDecisions(program: Command): void {
  for (const [action, { description, done }] of Object.entries(ACTIONS) as [DecisionAction, (typeof ACTIONS)[DecisionAction]][]) {
    program
      .command(action)
      .description(description)
      .argument('<workflowId>', 'the waiting run, as `udn-demo list` shows it')
      .option('-c, --config <file>', 'YAML config file')
      .option('--step <id>', 'the step you mean; refused if the run waits on another one')
      .addHelpText('after', '\nExit codes: 0 delivered, 2 no such run / it is not waiting / another step, 3 no worker answered.')
      .action(async (workflowId: string, opts: { config?: string; step?: string }) => {
        validateWorkflowId(workflowId);
        const step = stepOption(opts.step);
        const { config } = await loadConfig(opts.config);
        const client = await connectClient(config.temporal);
        try {
          const handle = await openRun(client, workflowId, config.temporal.namespace, 'nothing waits for a decision');
          const ack = await deliverUpdate(client, workflowId, () => handle.executeUpdate(decideUpdate, { args: [{ action, ...(step ? { step } : {}) }] }));
          info(`${action}: ${done(ack.step)} (run ${workflowId})`);
        } finally {
          await client.connection.close();
        }
      });
  }
}
