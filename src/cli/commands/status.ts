import type { Command } from 'commander';
import type { StatusOptions } from '../actions/status.ts';

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description("show a run's steps and checks (live progress if it is still open)")
    .argument('<workflowId>', 'the run, as printed by `udn-demo run` or `udn-demo list`')
    .option('-c, --config <file>', 'YAML config file')
    .option('--json', 'print the result JSON on stdout')
    .addHelpText('after', '\nExit codes: as `run` for a closed run; 0 while it is still running.')
    .action(async (workflowId: string, opts: StatusOptions) => (await import('../actions/status.ts')).status(workflowId, opts));
}
