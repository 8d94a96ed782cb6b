import { defaultDevServer, devServerStatus, startDevServer, stopDevServer, type DevServerStatus } from '../../client/dev-server.ts';
import { ExitCode } from '../../errors.ts';
import { info, printJson } from '../io.ts';

export interface ShowOptions {
  json?: boolean;
}

export async function start(opts: ShowOptions): Promise<void> {
  show(await startDevServer(), opts.json);
}

export async function stop(): Promise<void> {
  const outcome = await stopDevServer(defaultDevServer, info);
  // A stale record has been explained in a line of its own.
  if (outcome !== 'stale') info(outcome === 'stopped' ? 'temporal dev server: stopped' : 'temporal dev server: was not running');
}

export async function status(opts: ShowOptions): Promise<void> {
  const s = await devServerStatus();
  show(s, opts.json);
  process.exitCode = s.state === 'stopped' ? ExitCode.infrastructure : ExitCode.passed;
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
