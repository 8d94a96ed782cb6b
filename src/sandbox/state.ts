import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EmulationOptions } from '../model/cluster.ts';
import type { ProcessIdentity, RecordedProcess } from '../host/process-identity.ts';

export type { EmulationOptions };

/** What the supervisor says about itself; the CLI reads it to know whether the sandbox is usable. */
export interface SandboxState {
  /** The supervisor's pid, which is also the process group of everything the sandbox runs. */
  pgid: number;
  /** The supervisor's start time and boot (see process-identity.ts): a reused pid is not it. */
  startTicks: number;
  bootId: string;
  phase: 'starting' | 'ready' | 'failed' | 'stopped';
  startedAt: string;
  server?: string;
  kubeconfigPath?: string;
  error?: string;
  emulation?: EmulationOptions;
  /** The outside host's endpoint (loopback HTTPS) and the CA that signs its certificate. */
  outside?: { url: string; caFile: string };
}

/** A state.json as read back: one written by an older udn-demo has no identity. */
export type StoredState = Omit<SandboxState, 'startTicks' | 'bootId'> & Partial<Pick<SandboxState, 'startTicks' | 'bootId'>>;

/** The identity fields of a state written for `supervisor`. */
export function supervisorFields(supervisor: ProcessIdentity): Pick<SandboxState, 'pgid' | 'startTicks' | 'bootId'> {
  return { pgid: supervisor.pid, startTicks: supervisor.startTicks, bootId: supervisor.bootId };
}

/** The supervisor as a state records it. */
export function recordedSupervisor(s: StoredState): RecordedProcess {
  return { pid: s.pgid, startTicks: s.startTicks, bootId: s.bootId };
}

export const stateFile = (dir: string) => join(dir, 'state.json');
export const supervisorLog = (dir: string) => join(dir, 'logs', 'supervisor.log');

export async function readState(dir: string): Promise<StoredState | undefined> {
  try {
    return JSON.parse(await readFile(stateFile(dir), 'utf8')) as StoredState;
  } catch {
    return undefined;
  }
}

/** Written whole through a rename, so a reader never sees half a file. */
export async function writeState(dir: string, state: SandboxState): Promise<void> {
  const tmp = `${stateFile(dir)}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(state, null, 2));
  await rename(tmp, stateFile(dir));
}
