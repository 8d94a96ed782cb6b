import { readFileSync } from 'node:fs';

/**
 * A process as the kernel knows it: a pid alone is reused (after a reboot, or once the pid space
 * wraps), so a pid written to a file names "whatever has that number now". The start time (clock
 * ticks since boot, /proc/<pid>/stat field 22) and the boot id together name one process for good.
 */
export interface ProcessIdentity {
  pid: number;
  startTicks: number;
  bootId: string;
}

function bootId(): string {
  return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
}

function startTicks(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces or ")": count from the last ")".
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[19]);
    return Number.isFinite(ticks) ? ticks : undefined;
  } catch {
    return undefined;
  }
}

/** The identity of a running process, or undefined when no process has that pid. */
export function identify(pid: number): ProcessIdentity | undefined {
  const ticks = startTicks(pid);
  return ticks === undefined ? undefined : { pid, startTicks: ticks, bootId: bootId() };
}

/**
 * True only when the process recorded is the one running under that pid now. A record without
 * a start time (written by an older udn-demo) is not trusted: signalling it could hit a stranger.
 */
export function isSameProcess(recorded: Partial<ProcessIdentity> & { pid: number }): boolean {
  if (recorded.startTicks === undefined || recorded.bootId === undefined) return false;
  const now = identify(recorded.pid);
  return now !== undefined && now.startTicks === recorded.startTicks && now.bootId === recorded.bootId;
}
