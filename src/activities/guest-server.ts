import { ConsoleQueue } from '../cluster/console/console-queue.ts';
import type { GuestShell } from '../cluster/console/guest-shell.ts';
import { shellQuote } from '../cluster/console/quote.ts';
import { kubeConfigFor } from '../cluster/kube.ts';
import { sleep } from '../host/abortable.ts';
import type { GuestServerRequest, GuestServerState } from '../model/activities.ts';
import { withProgress } from './heartbeat.ts';
import { consoleOptionsFor } from './probes.ts';

/** The talk's web server in the red VM: python's, listing the home directory. */
export function serverCommand(req: Pick<GuestServerRequest, 'bindAddress' | 'port'>): string[] {
  return ['python3', '-m', 'http.server', '--bind', req.bindAddress, String(req.port)];
}

function serverFiles(serverId: string) {
  return { log: `/tmp/${serverId}-http.log`, pid: `/tmp/${serverId}-http.pid` };
}

/** How long python takes to print its banner (or its error) after it starts. */
const BANNER_MS = 1_000;

/**
 * Starts the web server in the background over the VM's console and keeps its pid in a file in
 * the guest. Idempotent: a retry that finds the server it started (the pid file's process alive)
 * leaves it be. A server that exits at once (the address is not the guest's) fails with its error.
 */
export function startGuestServer(req: GuestServerRequest): Promise<GuestServerState> {
  return withGuest(req, async (shell, timeoutMs, progress, signal) => {
    const argv = serverCommand(req);
    const files = serverFiles(req.serverId);
    const running = await shell.alive(files.pid, timeoutMs);
    if (running) {
      progress(`${shellQuote(argv)} already running (pid ${running})`);
      return { pid: running, action: 'already running', command: shellQuote(argv), output: (await shell.readFile(files.log, timeoutMs))?.trim() ?? '' };
    }
    const pid = await shell.startBackground(argv, files.log, timeoutMs, files.pid);
    progress(`${shellQuote(argv)} started (pid ${pid})`);
    await sleep(BANNER_MS, signal);
    const output = (await shell.readFile(files.log, timeoutMs))?.trim() ?? '';
    if (!(await shell.alive(files.pid, timeoutMs))) throw new Error(`${shellQuote(argv)} exited at once: ${output.split('\n').at(-1) || 'no output'}`);
    return { pid, action: 'started', command: shellQuote(argv), output };
  });
}

/** Stops the server that startGuestServer started, if it still runs; safe to repeat. */
export function stopGuestServer(req: GuestServerRequest): Promise<GuestServerState> {
  return withGuest(req, async (shell, timeoutMs, progress) => {
    const files = serverFiles(req.serverId);
    const command = shellQuote(serverCommand(req));
    const pid = await shell.alive(files.pid, timeoutMs);
    if (!pid) return { action: 'not running', command, output: '' };
    const r = await shell.exec(['kill', String(pid)], timeoutMs);
    progress(`kill ${pid}: exit ${r.exitCode}`);
    return { action: 'stopped', command, output: r.output.trim() };
  });
}

function withGuest<T>(req: GuestServerRequest, body: (shell: GuestShell, timeoutMs: number, progress: (line: string) => void, signal: AbortSignal) => Promise<T>): Promise<T> {
  return withProgress((progress, signal) => {
    const consoles = new ConsoleQueue(kubeConfigFor(req.cluster), consoleOptionsFor(req.guest, req.timing.connectTimeoutSeconds, signal, progress));
    const timeoutMs = (req.timing.connectTimeoutSeconds * 2 + 15) * 1000;
    return consoles.run(req.vm, (shell) => body(shell, timeoutMs, (line) => progress(`${req.vm.namespace}/${req.vm.name}: ${line}`), signal));
  });
}
