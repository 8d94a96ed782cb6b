import { readdirSync, readFileSync } from 'node:fs';

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

/** A pid as read back from a file: records written before udn-demo kept identities lack the rest. */
export type RecordedProcess = Pick<ProcessIdentity, 'pid'> & Partial<ProcessIdentity>;

function bootId(): string {
  return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
}

/** /proc/<pid>/stat from field 3 (state) on, or undefined when no process has that pid. */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces or ")": count from the last ")".
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** The identity of a running process, or undefined when no process has that pid. */
export function identify(pid: number): ProcessIdentity | undefined {
  const ticks = Number(statFields(pid)?.[19]);
  return Number.isFinite(ticks) ? { pid, startTicks: ticks, bootId: bootId() } : undefined;
}

/**
 * True only when the process recorded is the one running under that pid now. A record without
 * a start time (written by an older udn-demo) is not trusted: signalling it could hit a stranger.
 */
export function isSameProcess(recorded: RecordedProcess): boolean {
  return verify(recorded).state === 'ours';
}

/**
 * What a recorded pid names now: the process recorded ("ours"), nothing ("gone"), or a process
 * that is not, or cannot be shown to be, the one recorded ("stale", with why, to tell the user).
 */
export type Verdict = { state: 'ours' } | { state: 'gone' } | { state: 'stale'; why: string };

export function verify(recorded: RecordedProcess): Verdict {
  const { pid } = recorded;
  const now = identify(pid);
  if (now === undefined) return { state: 'gone' };
  if (recorded.startTicks === undefined || recorded.bootId === undefined) {
    return { state: 'stale', why: `pid ${pid} was recorded without its start time (by an older udn-demo), so it may be another process that was given the same number; check it with \`ps -p ${pid}\`` };
  }
  if (now.bootId !== recorded.bootId) return { state: 'stale', why: `pid ${pid} was recorded before the machine last booted, so it is another process now` };
  if (now.startTicks !== recorded.startTicks) return { state: 'stale', why: `pid ${pid} is now another process (it started at another time than the one recorded)` };
  return { state: 'ours' };
}

/** The live members of a process group (zombies left out: they run nothing and cannot be signalled). */
export function groupMembers(pgid: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => {
      const fields = statFields(pid);
      return fields !== undefined && fields[0] !== 'Z' && Number(fields[2]) === pgid;
    });
}

/** True when the process was started with `name=value` in its environment (inherited from whoever marked it). */
export function startedWith(pid: number, name: string, value: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`${name}=${value}`);
  } catch {
    return false;
  }
}

/**
 * A process group whose leader is gone, as far as a mark tells: its live members, and those not
 * started with `name=value` in their environment. Members all marked are what we started (the
 * kernel gives a live group's number to no new process); any stranger means it is not ours.
 */
export function markedGroup(pgid: number, name: string, value: string): { members: number[]; strangers: number[] } {
  const members = groupMembers(pgid);
  return { members, strangers: members.filter((pid) => !startedWith(pid, name, value)) };
}
