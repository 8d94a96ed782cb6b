import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { identify, type ProcessIdentity } from '../../src/host/process-identity.ts';

/** Processes for the tests of "is this pid still ours": none of them may be signalled by the code under test. */

/** `sleep 30` leading a process group of its own, as a stranger given a recorded pid would. */
export function spawnStranger(): ChildProcess & { pid: number } {
  const child = spawn('sleep', ['30'], { detached: true, stdio: 'ignore' });
  if (child.pid === undefined) throw new Error('could not start sleep');
  return child as ChildProcess & { pid: number };
}

/** The identity a process had, once it has exited and been reaped. */
export async function deadProcess(): Promise<ProcessIdentity> {
  const child = spawn('true', [], { stdio: 'ignore' });
  const identity = identify(child.pid!)!;
  await once(child, 'exit');
  return identity;
}

/**
 * A process group whose leader (recorded here as it was) has exited, leaving a `sleep 30` in the
 * group: what a sandbox whose supervisor was killed leaves behind, or a stranger's group.
 */
export async function orphanedGroup(env: NodeJS.ProcessEnv = process.env): Promise<ProcessIdentity> {
  const script = "require('node:child_process').spawn('sleep', ['30'], { stdio: 'ignore' }).unref()";
  const leader = spawn(process.execPath, ['-e', script], { detached: true, stdio: 'ignore', env });
  const identity = identify(leader.pid!)!;
  await once(leader, 'exit');
  return identity;
}

/** Ends what a test started; it is gone already if the code under test wrongly signalled it. */
export function endGroup(pgid: number): void {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}
