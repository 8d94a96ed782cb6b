import type { Command } from 'commander';
import type { ListOptions } from '../actions/list.ts';

export function registerList(program: Command): void {
  program
    .command('list')
    .description('list recent runs, newest first, with their state')
    .option('-c, --config <file>', 'YAML config file')
    .option('-n, --limit <count>', 'how many runs', '20')
    .option('--json', 'print a JSON array on stdout')
    .action(async (opts: ListOptions) => (await import('../actions/list.ts')).list(opts));
}
