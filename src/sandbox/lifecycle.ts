import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { groupAlive, isAlive, stopGroup } from '../host/processes.ts';
import { paths } from '../config/paths.ts';
import { InfrastructureError, InterruptedError } from '../errors.ts';
import type { LocateOptions } from '../host/binaries.ts';
import { locateControlPlaneBinaries } from './binaries.ts';
import { readState, supervisorLog, writeState, type EmulationOptions, type SandboxState } from './state.ts';

export interface SandboxStatus {
  state: 'absent' | 'starting' | 'ready' | 'stale' | 'failed';
  dir: string;
  kubeconfigPath?: string;
  server?: string;
  pgid?: number;
  error?: string;
  emulation?: EmulationOptions;
}

/** One sandbox per cluster name; `ovn` is kind.sh's cluster name and the config's default. */
export function sandboxDir(name = 'ovn'): string {
  return join(paths.dataDir, 'sandbox', name);
}

/** What is there: a usable sandbox, one still starting, or leftovers of a crashed one. */
export async function sandboxStatus(dir = sandboxDir()): Promise<SandboxStatus> {
  const s = await readState(dir);
  if (!s) return { state: 'absent', dir };
  const alive = groupAlive(s.pgid);
  // Orphans (etcd, the API server) can outlive a killed supervisor: without it the sandbox is stale.
  const supervised = isAlive(s.pgid);
  const base = { dir, pgid: s.pgid, ...(s.kubeconfigPath ? { kubeconfigPath: s.kubeconfigPath } : {}), ...(s.server ? { server: s.server } : {}), ...(s.error ? { error: s.error } : {}), ...(s.emulation ? { emulation: s.emulation } : {}) };
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
  const release = await lock(dir, log);
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
    return waitReady(dir, current.pgid!, log, opts.timeoutMs, opts.signal);
  }
  if (current.state !== 'absent') {
    log(`sandbox: cleaning up a ${current.state} sandbox${current.error ? ` (${current.error})` : ''}`);
    await sandboxDown(dir);
  }
  const binaries = await locateControlPlaneBinaries({ ...opts, log });
  await mkdir(join(dir, 'logs'), { recursive: true });
  const fd = openSync(supervisorLog(dir), 'a');
  let pgid: number;
  try {
    const tsx = import.meta.resolve('tsx');
    const supervisor = fileURLToPath(new URL('./supervisor.ts', import.meta.url));
    // Its own process group, outliving this CLI: `sandbox down` (or a later `up`) ends it.
    const child = spawn(process.execPath, ['--import', tsx, supervisor, dir, JSON.stringify(binaries), JSON.stringify(opts.emulation ?? DEFAULT_EMULATION)], { detached: true, stdio: ['ignore', fd, fd] });
    child.unref();
    if (child.pid === undefined) throw new InfrastructureError('could not start the sandbox supervisor');
    pgid = child.pid;
    // Recorded before anything else can look: a concurrent or later `up` sees this start, not an empty dir.
    await writeState(dir, { pgid, phase: 'starting', startedAt: new Date().toISOString() });
  } finally {
    closeSync(fd);
  }
  log('sandbox: starting etcd, kube-apiserver and kube-controller-manager');
  return waitReady(dir, pgid, log, opts.timeoutMs, opts.signal);
}

async function waitReady(dir: string, pgid: number, log: (line: string) => void, timeoutMs = 180_000, signal?: AbortSignal): Promise<SandboxStatus> {
  const deadline = Date.now() + timeoutMs;
  let shown = 0;
  const showLog = async () => {
    const lines = (await readFile(supervisorLog(dir), 'utf8').catch(() => '')).split('\n').filter(Boolean);
    for (const line of lines.slice(shown)) log(`sandbox: ${line.replace(/^\S+ /, '')}`);
    shown = lines.length;
  };
  while (Date.now() < deadline) {
    if (signal?.aborted) {
      await sandboxDown(dir);
      throw new InterruptedError('sandbox: start interrupted; what had started is stopped and removed');
    }
    await showLog();
    const state: SandboxState | undefined = await readState(dir);
    if (state?.phase === 'ready' && state.pgid === pgid) return sandboxStatus(dir);
    if (state?.phase === 'failed' || !groupAlive(pgid)) {
      await stopGroup(pgid, 2000);
      throw new InfrastructureError(`the sandbox failed to start: ${state?.error ?? 'its supervisor died'}; see ${supervisorLog(dir)}`);
    }
    await sleep(200);
  }
  await stopGroup(pgid);
  throw new InfrastructureError(`the sandbox was not ready within ${timeoutMs / 1000} s; see ${supervisorLog(dir)}`);
}

/** Stops every process of the sandbox and removes its directory (etcd data, credentials, logs). */
export async function sandboxDown(dir = sandboxDir()): Promise<'stopped' | 'absent'> {
  const state = await readState(dir);
  if (state) await stopGroup(state.pgid);
  await rm(dir, { recursive: true, force: true });
  return state ? 'stopped' : 'absent';
}

/** One `up` per sandbox at a time; a lock left by a dead process is taken over. */
async function lock(dir: string, log: (line: string) => void): Promise<() => Promise<void>> {
  // Beside the directory, not in it: a `down` during `up` removes the directory.
  await mkdir(dirname(dir), { recursive: true });
  const path = `${dir}.lock`;
  const deadline = Date.now() + 600_000;
  let said = false;
  for (;;) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(path, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number(await readFile(path, 'utf8').catch(() => '0'));
      if (!holder || !isAlive(holder)) {
        await rm(path, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw new InfrastructureError(`another udn-demo (pid ${holder}) has been starting the sandbox for 10 minutes; see ${supervisorLog(dir)}`);
      if (!said) log(`sandbox: waiting for another start (pid ${holder}) to finish`);
      said = true;
      await sleep(250);
    }
  }
}

function describeEmulation(e: EmulationOptions | undefined): string {
  if (!e) return 'unknown emulation';
  return `${e.profile} ×${e.scale}${e.egress === false ? ', no egress' : ''}${e.faultsFile ? `, faults ${e.faultsFile}` : ''}`;
}
