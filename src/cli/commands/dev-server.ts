import type { Command } from 'commander';
import type { ShowOptions } from '../actions/dev-server.ts';

export function registerDevServer(program: Command): void {
  const dev = program
    .command('dev-server')
    .description('the embedded Temporal dev server (gRPC 127.0.0.1:7233, Web UI http://127.0.0.1:8233, SQLite in the user data dir)');
  dev
    .command('start')
    .description('start it in the background, or report the one already running')
    .option('--json', 'print the status as JSON')
    .action(async (opts: ShowOptions) => (await import('../actions/dev-server.ts')).start(opts));
  dev
    .command('stop')
    .description('stop the dev server this tool started (its database is kept)')
    .action(async () => (await import('../actions/dev-server.ts')).stop());
  dev
    .command('status')
    .description('say whether it is running, and where its database and log are; exit 0 if running, 3 if not')
    .option('--json', 'print the status as JSON')
    .action(async (opts: ShowOptions) => (await import('../actions/dev-server.ts')).status(opts));
}
