import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { groupAlive, stopGroup } from '../host/processes.ts';
import { identify, markedGroup, verify } from '../host/process-identity.ts';
import { nodeScript } from '../host/node-script.ts';
import { paths } from '../config/paths.ts';
import { InfrastructureError, InterruptedError } from '../errors.ts';
import type { LocateOptions } from '../host/binaries.ts';
import { locateControlPlaneBinaries } from './binaries.ts';
import { acquireFileLock } from '../host/file-lock.ts';
import { readState, recordedSupervisor, stateFile, supervisorFields, supervisorLog, writeState, type EmulationOptions, type StoredState } from './state.ts';

export interface SandboxStatus {
  state: 'absent' | 'starting' | 'ready' | 'stale' | 'failed';
  dir: string;
  kubeconfigPath?: string;
  server?: string;
  pgid?: number;
  error?: string;
  /** Why the processes state.json names are not taken for the sandbox's, when some are running. */
  staleRecord?: string;
  emulation?: EmulationOptions;
}

/** One sandbox per cluster name; `ovn` is kind.sh's cluster name and the config's default. */
export function sandboxDir(name = 'ovn'): string {
  return join(paths.dataDir, 'sandbox', name);
}

/**
 * Set to the sandbox's directory in its supervisor's environment, and so inherited by every process
 * of the sandbox: once the supervisor is gone, it is how its orphans are told from processes that
 * have since been given their process group's number.
 */
export const SANDBOX_MARK = 'UDN_DEMO_SANDBOX';

type Processes = { state: 'ours'; supervised: boolean } | { state: 'gone' } | { state: 'stale'; why: string };

/** Whether the processes state.json names are the sandbox's, with or without their supervisor. */
function processesOf(dir: string, s: StoredState): Processes {
  const supervisor = verify(recordedSupervisor(s));
  if (supervisor.state === 'ours') return { state: 'ours', supervised: true };
  // While any process of a group lives, the kernel gives its number to no new process: a pid
  // held by another process means the group (if any) is not the sandbox's.
  if (supervisor.state === 'stale') return supervisor;
  const { members, strangers } = markedGroup(s.pgid, SANDBOX_MARK, resolve(dir));
  if (members.length === 0) return { state: 'gone' };
  if (strangers.length === 0) return { state: 'ours', supervised: false };
  return { state: 'stale', why: `the supervisor (pid ${s.pgid}) is gone and its process group holds processes not marked as this sandbox's (pid ${strangers.join(', ')}): an older udn-demo's, or another program's` };
}

const staleRecord = (dir: string, p: Processes) => (p.state === 'stale' ? `${stateFile(dir)} is stale: ${p.why}` : undefined);

/** What is there: a usable sandbox, one still starting, or leftovers of a crashed one. */
export async function sandboxStatus(dir = sandboxDir()): Promise<SandboxStatus> {
  const s = await readState(dir);
  if (!s) return { state: 'absent', dir };
  const processes = processesOf(dir, s);
  const alive = processes.state === 'ours';
  // Orphans (etcd, the API server) can outlive a killed supervisor: without it the sandbox is stale.
  const supervised = processes.state === 'ours' && processes.supervised;
  const stale = staleRecord(dir, processes);
  const base = { dir, pgid: s.pgid, ...(s.kubeconfigPath ? { kubeconfigPath: s.kubeconfigPath } : {}), ...(s.server ? { server: s.server } : {}), ...(s.error ? { error: s.error } : {}), ...(stale ? { staleRecord: stale } : {}), ...(s.emulation ? { emulation: s.emulation } : {}) };
  if (s.phase === 'failed') return { ...base, state: alive ? 'stale' : 'failed' };
  if (!alive || !supervised || s.phase === 'stopped') return { ...base, state: 'stale' };
  return { ...base, state: s.phase === 'ready' ? 'ready' : 'starting' };
}

export const DEFAULT_EMULATION: EmulationOptions = { profile: 'realistic', scale: 0.25, egress: true };

export interface UpOptions extends LocateOptions {
  dir?: string;
  /** Aborting a start (Ctrl-C) stops whatever it had started and removes it. */
  signal?: AbortSignal;
  emulation?: EmulationOptions;
  log?: (line: string) => void;
  timeoutMs?: number;
}

/**
 * Brings the sandbox up, or reuses a ready one. Leftovers of a crashed run (a dead supervisor,
 * orphaned etcd) are stopped and removed first, so a sandbox is never doubled.
 */
export async function sandboxUp(opts: UpOptions = {}): Promise<SandboxStatus> {
  const dir = opts.dir ?? sandboxDir();
  const log = opts.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  // Beside the directory, not in it: a `down` during `up` removes the directory.
  const release = await acquireFileLock(`${dir}.lock`, { doing: 'starting the sandbox', log: (line) => log(`sandbox: ${line}`), see: supervisorLog(dir) });
  try {
    return await upLocked(dir, log, opts);
  } finally {
    await release();
  }
}

async function upLocked(dir: string, log: (line: string) => void, opts: UpOptions): Promise<SandboxStatus> {
  const current = await sandboxStatus(dir);
  if (current.state === 'ready') {
    log(`sandbox: reusing the running sandbox (${current.server})`);
    const wanted = opts.emulation;
    if (wanted && describeEmulation(wanted) !== describeEmulation(current.emulation)) {
      log(`sandbox: it runs with ${describeEmulation(current.emulation)}, not ${describeEmulation(wanted)}; \`udn-demo sandbox down\` first to change that`);
    }
    return current;
  }
  if (current.state === 'starting') {
    log('sandbox: another start is under way; waiting for it');
    return waitReady(dir, current.pgid!, log, opts.timeoutMs, opts.signal, false);
  }
  if (current.state !== 'absent') {
    log(`sandbox: cleaning up a ${current.state} sandbox${current.error ? ` (${current.error})` : ''}`);
    await sandboxDown(dir, log);
  }
  const binaries = await locateControlPlaneBinaries({ ...opts, log });
  await mkdir(join(dir, 'logs'), { recursive: true });
  const fd = openSync(supervisorLog(dir), 'a');
  let pgid: number;
  try {
    // Its own process group, outliving this CLI: `sandbox down` (or a later `up`) ends it.
    const child = spawn(process.execPath, [...nodeScript(new URL('./supervisor.ts', import.meta.url)), dir, JSON.stringify(binaries), JSON.stringify(opts.emulation ?? DEFAULT_EMULATION)], {
      detached: true,
      stdio: ['ignore', fd, fd],
      env: { ...process.env, [SANDBOX_MARK]: resolve(dir) },
    });
    child.unref();
    // Read at once: until the child is reaped, /proc keeps its entry even if it has already exited.
    const identity = child.pid === undefined ? undefined : identify(child.pid);
    if (identity === undefined) throw new InfrastructureError(`could not start the sandbox supervisor; see ${supervisorLog(dir)}`);
    pgid = identity.pid;
    // Recorded before anything else can look: a concurrent or later `up` sees this start, not an empty dir.
    await writeState(dir, { ...supervisorFields(identity), phase: 'starting', startedAt: new Date().toISOString() });
  } finally {
    closeSync(fd);
  }
  log('sandbox: starting etcd, kube-apiserver and kube-controller-manager');
  return waitReady(dir, pgid, log, opts.timeoutMs, opts.signal, true);
}

/** `ours`: this call started it, so an interruption stops it; another's start is left to its starter. */
async function waitReady(dir: string, pgid: number, log: (line: string) => void, timeoutMs: number | undefined, signal: AbortSignal | undefined, ours: boolean): Promise<SandboxStatus> {
  timeoutMs ??= 180_000;
  const deadline = Date.now() + timeoutMs;
  let shown = 0;
  const showLog = async () => {
    const lines = (await readFile(supervisorLog(dir), 'utf8').catch(() => '')).split('\n').filter(Boolean);
    for (const line of lines.slice(shown)) log(`sandbox: ${line.replace(/^\S+ /, '')}`);
    shown = lines.length;
  };
  while (Date.now() < deadline) {
    if (signal?.aborted) {
      if (!ours) throw new InterruptedError("sandbox: interrupted while waiting for another start, which goes on");
      await sandboxDown(dir, log);
      throw new InterruptedError('sandbox: start interrupted; what had started is stopped and removed');
    }
    await showLog();
    const state = await readState(dir);
    if (state?.phase === 'ready' && state.pgid === pgid) return sandboxStatus(dir);
    if (state?.phase === 'failed' || !groupAlive(pgid)) {
      await stopProcesses(dir, state, 2000);
      throw new InfrastructureError(`the sandbox failed to start: ${state?.error ?? 'its supervisor died'}; see ${supervisorLog(dir)}`);
    }
    await sleep(200);
  }
  await stopProcesses(dir, await readState(dir));
  throw new InfrastructureError(`the sandbox was not ready within ${timeoutMs / 1000} s; see ${supervisorLog(dir)}`);
}

/**
 * Stops every process of the sandbox and removes its directory (etcd data, credentials, logs).
 * Processes state.json names but that are not shown to be the sandbox's are left alone ('stale',
 * and `log` says why); the directory is removed all the same.
 */
export async function sandboxDown(dir = sandboxDir(), log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Promise<'stopped' | 'absent' | 'stale'> {
  const state = await readState(dir);
  const processes = await stopProcesses(dir, state);
  await rm(dir, { recursive: true, force: true });
  if (processes?.state === 'stale') {
    log(`sandbox: ${staleRecord(dir, processes)}; nothing was signalled, and ${dir} is removed`);
    return 'stale';
  }
  return state ? 'stopped' : 'absent';
}

/** Stops the processes `state` names if they are the sandbox's; returns what they were found to be. */
async function stopProcesses(dir: string, state: StoredState | undefined, graceMs?: number): Promise<Processes | undefined> {
  const processes = state ? processesOf(dir, state) : undefined;
  if (state && processes?.state === 'ours') await stopGroup(state.pgid, graceMs);
  return processes;
}

function describeEmulation(e: EmulationOptions | undefined): string {
  if (!e) return 'unknown emulation';
  return `${e.profile} ×${e.scale}${e.egress === false ? ', no egress' : ''}${e.faultsFile ? `, faults ${e.faultsFile}` : ''}`;
}
