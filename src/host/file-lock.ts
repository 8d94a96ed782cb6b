import { randomUUID } from 'node:crypto';
import { link, mkdir, open, rm, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { InfrastructureError } from '../errors.ts';
import { identify, verify, type RecordedProcess } from './process-identity.ts';

export interface FileLockOptions {
  /** What the holder is doing, for the messages: `starting the sandbox`. */
  doing: string;
  log: (line: string) => void;
  /** How long to wait for a live holder (default 10 minutes). */
  patienceMs?: number;
  /** Where to look when the wait runs out (a log). */
  see?: string;
  /** Gives up waiting, with the signal's reason. */
  signal?: AbortSignal;
}

/**
 * One holder at a time, across processes: the lock file holds its holder's identity, and a lock
 * whose holder is not running (or cannot be shown to be: a crash, a SIGKILL) is taken over by
 * exactly one waiter. Returns the release.
 */
export async function acquireFileLock(path: string, o: FileLockOptions): Promise<() => Promise<void>> {
  await mkdir(dirname(path), { recursive: true });
  const patienceMs = o.patienceMs ?? 600_000;
  // The token makes each lock file's content unique, even between two locks taken by one process.
  const mine = JSON.stringify({ ...identify(process.pid), token: randomUUID() });
  const deadline = Date.now() + patienceMs;
  let said = false;
  for (;;) {
    o.signal?.throwIfAborted();
    if (await createWhole(path, mine)) return () => rm(path, { force: true });
    const seen = await readLock(path);
    if (seen === undefined) continue;
    if (seen.holder === undefined || verify(seen.holder).state !== 'ours') {
      await takeOver(path, seen, mine);
      continue;
    }
    if (Date.now() > deadline) throw new InfrastructureError(`another udn-demo (pid ${seen.holder.pid}) has been ${o.doing} for ${Math.round(patienceMs / 60_000)} minutes${o.see ? `; see ${o.see}` : ''}`);
    if (!said) o.log(`waiting for another udn-demo (pid ${seen.holder.pid}), ${o.doing}, to finish`);
    said = true;
    await sleep(250);
  }
}

interface LockFile {
  ino: bigint;
  text: string;
  holder?: RecordedProcess;
}

/**
 * Removes the stale lock `seen` unless another waiter is doing so. Removing whatever one has read
 * as stale is not enough: two waiters may both read it, and the slower would remove the lock the
 * faster has just taken. Here only the waiter that creates `<lock>.takeover-<inode>` may remove
 * the lock, after checking it is still the file it judged stale; since a lock file leaves only
 * through its holder or that one waiter, what it checked is what it removes.
 */
async function takeOver(path: string, seen: LockFile, mine: string): Promise<void> {
  const claim = `${path}.takeover-${seen.ino}`;
  if (!(await createWhole(claim, mine))) {
    const claimant = (await readLock(claim))?.holder;
    const still = await readLock(path);
    if (claimant && verify(claimant).state !== 'ours' && still?.ino === seen.ino) {
      throw new InfrastructureError(`pid ${claimant.pid} died taking over the stale lock ${path}; remove ${path} and ${claim}, then try again`);
    }
    await sleep(50);
    return;
  }
  try {
    const now = await readLock(path);
    if (now?.ino === seen.ino && now.text === seen.text) await unlink(path);
  } finally {
    await unlink(claim);
  }
}

/** Creates `path` holding `text`, or returns false if it exists; no reader ever sees it half written. */
async function createWhole(path: string, text: string): Promise<boolean> {
  const tmp = `${path}.${randomUUID()}.tmp`;
  await writeFile(tmp, text);
  try {
    await link(tmp, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    await unlink(tmp);
  }
}

/** The lock file's inode and content, read through one descriptor so they belong together. */
async function readLock(path: string): Promise<LockFile | undefined> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const { ino } = await handle.stat({ bigint: true });
    const text = await handle.readFile('utf8');
    const holder = holderOf(text);
    return { ino, text, ...(holder ? { holder } : {}) };
  } finally {
    await handle.close();
  }
}

/** Who holds a lock: an identity, or a bare pid as older versions wrote it. */
function holderOf(text: string): RecordedProcess | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'number') return { pid: value };
    if (typeof value === 'object' && value !== null && typeof (value as RecordedProcess).pid === 'number') return value as RecordedProcess;
  } catch {
    // Not ours to read: treated as held by no one.
  }
  return undefined;
}
