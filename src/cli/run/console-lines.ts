import type { Colors } from '../terminal.ts';
import type { ConsoleLine, ConsoleTail } from '../../model/heartbeat.ts';

/** What the follower prints of a transcript: its new lines, or how many went by unseen. */
export type ConsoleEvent = ConsoleLine | { missed: number };

/**
 * Takes the guest console transcripts of a run's activities (`activity`: a name unique within
 * the run), as heartbeats or this process's worker bring them (the same tail may come both
 * ways), and returns the lines not returned before. A tail holds the last lines only: lines that
 * scrolled out of it between two reads are counted, not lost silently. A retried activity's
 * transcript starts over.
 */
export function consoleFollower(): (activity: string, tail: ConsoleTail) => ConsoleEvent[] {
  const shown = new Map<string, number>();
  return (activity, tail) => {
    const key = `${activity}:${tail.attempt}`;
    const before = shown.get(key) ?? 0;
    if (tail.seq <= before) return [];
    shown.set(key, tail.seq);
    const first = tail.seq - tail.lines.length;
    const missed = first - before;
    return [...(missed > 0 ? [{ missed }] : []), ...tail.lines.slice(Math.max(0, before - first))];
  };
}

/** `  │ green/vm-a  [fedora@vm-a ~]$ ping -c 3 -i 0.2 203.203.0.6`: the VM, then what its console showed. */
export function consoleLine(e: ConsoleEvent, c: Colors): string {
  if ('missed' in e) return `  ${c.dim('│')} ${c.dim(`… ${e.missed} line${e.missed === 1 ? '' : 's'} of console output not shown`)}`;
  return `  ${c.dim('│')} ${c.cyan(e.vm)}  ${e.text}`;
}
