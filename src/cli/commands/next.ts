import type { Command } from 'commander';
import type { NextOptions } from '../actions/next.ts';

/** Presenter mode's "go on", from any terminal (the presenting one takes Enter). */
export function registerNext(program: Command): void {
  program
    .command('next')
    .description('presenter mode: run the step a `run --presenter` waits before')
    .argument('<workflowId>', 'the presented run, as `udn-demo list` shows it')
    .option('-c, --config <file>', 'YAML config file')
    .option('--step <id>', 'the step you mean; refused if the run waits before another one')
    .addHelpText('after', '\nExit codes: 0 delivered, 2 no such run / it is not waiting / another step, 3 no worker answered.')
    .action(async (workflowId: string, opts: NextOptions) => (await import('../actions/next.ts')).next(workflowId, opts));
}
