import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { paths } from '../config/paths.ts';
import { InfrastructureError } from '../errors.ts';
import { dynamicConfigArgs } from './dev-server-config.ts';
import { locateTemporalCli } from './temporal-binary.ts';
import { isAlive, lastLogLine, stopGroup } from '../host/processes.ts';
import { identify, verify, type ProcessIdentity, type RecordedProcess, type Verdict } from '../host/process-identity.ts';
import { isListening } from '../host/tcp-probe.ts';
import { STATUS_ATTRIBUTE } from '../model/status-attribute.ts';

export interface DevServerOptions {
  host: string;
  port: number;
  uiPort: number;
  namespace: string;
  dir: string;
}

export const defaultDevServer: DevServerOptions = {
  host: '127.0.0.1',
  port: 7233,
  uiPort: 8233,
  namespace: 'default',
  get dir() {
    return paths.devServerDir;
  },
};

interface PidRecord extends ProcessIdentity {
  port: number;
  uiPort: number;
  binary: string;
  startedAt: string;
}

/** A pidfile as read back: one written by an older udn-demo has no identity. */
type StoredPidRecord = Omit<PidRecord, keyof ProcessIdentity> & RecordedProcess;

export interface DevServerStatus {
  state: 'running' | 'stopped' | 'foreign';
  pid?: number;
  /** Why the pidfile's process, which is running, is not taken for our server. */
  staleRecord?: string;
  address: string;
  webUi: string;
  database: string;
  log: string;
}

const files = (dir: string) => ({
  pidfile: join(dir, 'temporal.pid.json'),
  log: join(dir, 'temporal.log'),
  database: join(dir, 'temporal.db'),
});

/**
 * The embedded Temporal dev server: `temporal server start-dev` detached, with its SQLite file in
 * the user data dir so recorded runs survive a restart. A pidfile lets stop and status find it;
 * it records the process's identity, so a pid the kernel has since given to another process is
 * never taken for the server (nor signalled).
 */
export async function devServerStatus(opts: DevServerOptions = defaultDevServer): Promise<DevServerStatus> {
  const f = files(opts.dir);
  const { record, verdict } = await readPidRecord(f.pidfile);
  const ours = verdict.state === 'ours' && record?.port === opts.port;
  const listening = await isListening(opts.host, opts.port);
  const state = ours && listening ? 'running' : listening ? 'foreign' : 'stopped';
  return {
    state,
    ...(ours && record ? { pid: record.pid } : {}),
    ...(verdict.state === 'stale' ? { staleRecord: `${f.pidfile} is stale: ${verdict.why}` } : {}),
    address: `${opts.host}:${opts.port}`,
    webUi: `http://${opts.host}:${opts.uiPort}`,
    database: f.database,
    log: f.log,
  };
}

export async function startDevServer(
  opts: DevServerOptions = defaultDevServer,
  log: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
): Promise<DevServerStatus> {
  const current = await devServerStatus(opts);
  if (current.state !== 'stopped') return current;
  const f = files(opts.dir);
  await mkdir(opts.dir, { recursive: true });
  await rm(f.pidfile, { force: true });
  const binary = await locateTemporalCli({ log });
  const args = [
    'server', 'start-dev',
    '--ip', opts.host,
    '--port', String(opts.port),
    '--ui-port', String(opts.uiPort),
    '--namespace', opts.namespace,
    '--search-attribute', `${STATUS_ATTRIBUTE.name}=Keyword`,
    ...dynamicConfigArgs(),
    '--db-filename', f.database,
    '--log-format', 'pretty',
    '--log-level', 'warn',
  ];
  const logFd = openSync(f.log, 'a');
  // A daemon, not a subprocess: detached in its own process group, writing straight to its log
  // file (execa would pipe through us), so it outlives this CLI.
  const child = spawn(binary.path, args, { detached: true, stdio: ['ignore', logFd, logFd] });
  closeSync(logFd);
  child.unref();
  // Read at once: until the child is reaped, /proc keeps its entry even if it has already exited.
  const identity = child.pid === undefined ? undefined : identify(child.pid);
  if (identity === undefined) throw new InfrastructureError(`could not start ${binary.path}${lastLogLine(f.log)}; see ${f.log}`);
  const record: PidRecord = { ...identity, port: opts.port, uiPort: opts.uiPort, binary: binary.path, startedAt: new Date().toISOString() };
  await writeFile(f.pidfile, JSON.stringify(record, null, 2));
  await waitUntilServing(opts, identity.pid, f.log);
  log(`temporal dev server: gRPC ${opts.host}:${opts.port}, Web UI http://${opts.host}:${opts.uiPort}, database ${f.database}`);
  return devServerStatus(opts);
}

/**
 * Stops the server the pidfile names, if it is still that process. A stale record (its pid now
 * another process, or written by an older udn-demo without an identity) is removed and `log` says
 * why nothing was signalled.
 */
export async function stopDevServer(
  opts: DevServerOptions = defaultDevServer,
  log: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
): Promise<'stopped' | 'not-running' | 'stale'> {
  const f = files(opts.dir);
  const { record, verdict } = await readPidRecord(f.pidfile);
  if (record && verdict.state === 'ours') await stopGroup(record.pid);
  await rm(f.pidfile, { force: true });
  if (verdict.state === 'stale') log(`temporal dev server: ${f.pidfile} is stale: ${verdict.why}; that process was not signalled and the record is removed`);
  return verdict.state === 'ours' ? 'stopped' : verdict.state === 'stale' ? 'stale' : 'not-running';
}

async function waitUntilServing(opts: DevServerOptions, pid: number, log: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) throw new InfrastructureError(`the Temporal dev server exited during start-up${lastLogLine(log)}; see ${log}`);
    if ((await isListening(opts.host, opts.port)) && (await isListening(opts.host, opts.uiPort))) return;
    await sleep(200);
  }
  await stopGroup(pid, 0);
  throw new InfrastructureError(`the Temporal dev server did not listen on ${opts.host}:${opts.port} within 60 s; see ${log}`);
}

async function readPidRecord(pidfile: string): Promise<{ record?: StoredPidRecord; verdict: Verdict }> {
  let record: StoredPidRecord;
  try {
    record = JSON.parse(await readFile(pidfile, 'utf8')) as StoredPidRecord;
  } catch {
    return { verdict: { state: 'gone' } };
  }
  return { record, verdict: verify(record) };
}
