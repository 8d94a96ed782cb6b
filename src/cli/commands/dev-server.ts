import type { Command } from 'commander';
import { defaultDevServer, devServerStatus, startDevServer, stopDevServer, type DevServerStatus } from '../../client/dev-server.ts';
import { ExitCode } from '../../errors.ts';
import { info, printJson } from '../io.ts';

export function registerDevServer(program: Command): void {
  const dev = program
    .command('dev-server')
    .description('the embedded Temporal dev server (gRPC 127.0.0.1:7233, Web UI http://127.0.0.1:8233, SQLite in the user data dir)');
  dev
    .command('start')
    .description('start it in the background, or report the one already running')
    .option('--json', 'print the status as JSON')
    .action(async (opts: { json?: boolean }) => show(await startDevServer(), opts.json));
  dev
    .command('stop')
    .description('stop the dev server this tool started (its database is kept)')
    .action(async () => {
      const outcome = await stopDevServer(defaultDevServer, info);
      // A stale record has been explained in a line of its own.
      if (outcome !== 'stale') info(outcome === 'stopped' ? 'temporal dev server: stopped' : 'temporal dev server: was not running');
    });
  dev
    .command('status')
    .description('say whether it is running, and where its database and log are; exit 0 if running, 3 if not')
    .option('--json', 'print the status as JSON')
    .action(async (opts: { json?: boolean }) => {
      const status = await devServerStatus();
      show(status, opts.json);
      process.exitCode = status.state === 'stopped' ? ExitCode.infrastructure : ExitCode.passed;
    });
}

function show(s: DevServerStatus, json: boolean | undefined): void {
  if (json) {
    printJson(s);
    return;
  }
  const who = s.state === 'running' ? `running (pid ${s.pid})` : s.state === 'foreign' ? 'a server not started by udn-demo is listening' : 'stopped';
  const stale = s.staleRecord ? `  pidfile  ${s.staleRecord}\n` : '';
  process.stdout.write(`temporal dev server: ${who}\n  gRPC     ${s.address}\n  Web UI   ${s.webUi}\n  database ${s.database}\n  log      ${s.log}\n${stale}`);
}
