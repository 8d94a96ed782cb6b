import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Starts a control-plane process in the caller's process group (so stopping the group stops
 * it), writing straight to its log file so it does not depend on us to drain a pipe.
 */
export function spawnLogged(command: string, args: string[], logFile: string): ChildProcess {
  const fd = openSync(logFile, 'a');
  try {
    return spawn(command, args, { stdio: ['ignore', fd, fd] });
  } finally {
    closeSync(fd);
  }
}

/** Polls `probe` until it answers true, the process dies, or the deadline passes. */
export async function waitFor(what: string, child: ChildProcess, probe: () => Promise<boolean>, timeoutMs: number, logFile: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${what} exited (${child.exitCode ?? child.signalCode}) during start-up${lastLogLine(logFile)}; see ${logFile}`);
    if (await probe()) return;
    await sleep(200);
  }
  throw new Error(`${what} was not ready within ${timeoutMs / 1000} s; see ${logFile}`);
}

/**
 * The last non-empty line of a log, as ": <line>" (or "" when there is none), so an error about
 * a process that died says why without sending the reader to a file a test may already have removed.
 */
export function lastLogLine(logFile: string): string {
  try {
    const line = readFileSync(logFile, 'utf8').trimEnd().split('\n').at(-1)?.trim() ?? '';
    return line ? `: ${line.length > 300 ? `${line.slice(0, 300)}…` : line}` : '';
  } catch {
    return '';
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True while any process of the group is alive. */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** SIGTERM the whole group, then SIGKILL what is left after `graceMs`. */
export async function stopGroup(pgid: number, graceMs = 10_000): Promise<void> {
  // kill(-1) reaches every process we may signal and kill(-0) our own group: no recorded group is either.
  if (!Number.isInteger(pgid) || pgid <= 1) throw new Error(`refusing to signal process group ${pgid}`);
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(-pgid, s);
    } catch {
      // Nothing left in the group.
    }
  };
  signal('SIGTERM');
  for (let waited = 0; waited < graceMs && groupAlive(pgid); waited += 100) await sleep(100);
  if (groupAlive(pgid)) signal('SIGKILL');
  for (let waited = 0; waited < 5000 && groupAlive(pgid); waited += 100) await sleep(100);
}
