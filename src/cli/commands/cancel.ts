import type { Command } from 'commander';
import type { CancelOptions } from '../actions/cancel.ts';

export function registerCancel(program: Command): void {
  program
    .command('cancel')
    .description("stop a run and remove what it created (its namespaces; the cluster only with --remove-cluster); the result says what went")
    .argument('<workflowId>', 'the run, as `udn-demo list` shows it')
    .option('-c, --config <file>', 'YAML config file')
    .option('--remove-cluster', 'also delete the cluster the run used')
    .option('--no-wait', 'request the cancellation and return; the run cleans up on its worker')
    .option('--json', 'print {workflowId, status, removed} on stdout')
    .addHelpText('after', '\nThe cleanup runs on the run\'s worker and cannot itself be cancelled. Exit codes: 0 cancelled, 2 no such run or it has ended, 3 the cleanup failed or did not finish.')
    .action(async (workflowId: string, opts: CancelOptions) => (await import('../actions/cancel.ts')).cancel(workflowId, opts));
}
