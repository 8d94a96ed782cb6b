import { writeFileSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { identify, isSameProcess, markedGroup, type RecordedProcess } from '../../../host/process-identity.ts';
import { stopGroup } from '../../../host/processes.ts';

/**
 * A detached command's process group (kind.sh and the docker and kind it starts), recorded in a
 * pid file so that whoever runs the command next can find it: a worker killed outright leaves
 * kind.sh running, and a second kind.sh beside it would fight over the same cluster.
 */

/**
 * Records the group led by `pid` (a detached child: its pid is the group's id). Written before
 * anything is awaited, so the window in which a crash leaves the group unrecorded stays tiny.
 */
export function recordGroup(pidFile: string, pid: number): void {
  const identity = identify(pid);
  if (identity) writeFileSync(pidFile, JSON.stringify(identity));
}

/**
 * Stops the group recorded in `pidFile` (SIGTERM, then SIGKILL) if its leader is still the
 * process recorded, and removes the record. A pid now held by another process is never signalled.
 * Returns the group it stopped.
 */
export async function stopRecordedGroup(pidFile: string): Promise<RecordedProcess | undefined> {
  const recorded = await readRecord(pidFile);
  if (!recorded) return undefined;
  const running = isSameProcess(recorded) || leftBehind(recorded.pid, pidFile);
  if (running) await stopGroup(recorded.pid);
  await rm(pidFile, { force: true });
  return running ? recorded : undefined;
}

/** What a group's command runs with in its environment, naming its pid file, so its children can be told apart once it is gone. */
export const GROUP_MARK = 'UDN_DEMO_PROCESS_GROUP';

/**
 * A leader killed with its worker (kind.sh dies of SIGPIPE at its next line) can leave its
 * children at work: `kind create cluster` goes on building what the retry is about to judge.
 * They are stopped when every one of them carries this record's mark.
 */
function leftBehind(pgid: number, pidFile: string): boolean {
  const { members, strangers } = markedGroup(pgid, GROUP_MARK, pidFile);
  return members.length > 0 && strangers.length === 0;
}

/** Removes the record of the group led by `pid`; a record another run wrote since is left alone. */
export async function forgetGroup(pidFile: string, pid: number): Promise<void> {
  if ((await readRecord(pidFile))?.pid === pid) await rm(pidFile, { force: true });
}

async function readRecord(pidFile: string): Promise<RecordedProcess | undefined> {
  try {
    const parsed = JSON.parse(await readFile(pidFile, 'utf8')) as Partial<RecordedProcess>;
    // Group 1 would be every process we may signal: no record names it.
    return typeof parsed.pid === 'number' && parsed.pid > 1 ? (parsed as RecordedProcess) : undefined;
  } catch {
    // No record, or one cut short by a crash while it was written: nothing to find.
    return undefined;
  }
}
