import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { paths } from '../config/paths.ts';
import { InfrastructureError } from '../errors.ts';
import { locateTemporalCli } from './temporal-binary.ts';
import { isAlive, lastLogLine, stopGroup } from '../host/processes.ts';
import { isListening } from '../host/tcp-probe.ts';

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

interface PidRecord {
  pid: number;
  port: number;
  uiPort: number;
  binary: string;
  startedAt: string;
}

export interface DevServerStatus {
  state: 'running' | 'stopped' | 'foreign';
  pid?: number;
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
 * the user data dir so recorded runs survive a restart. A pidfile lets stop and status find it.
 */
export async function devServerStatus(opts: DevServerOptions = defaultDevServer): Promise<DevServerStatus> {
  const f = files(opts.dir);
  const record = await readPidRecord(f.pidfile);
  const alive = record !== undefined && isAlive(record.pid);
  const listening = await isListening(opts.host, opts.port);
  const state = alive && listening ? 'running' : listening ? 'foreign' : 'stopped';
  return {
    state,
    ...(alive && record ? { pid: record.pid } : {}),
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
  if (child.pid === undefined) throw new InfrastructureError(`could not start ${binary.path}; see ${f.log}`);
  const record: PidRecord = { pid: child.pid, port: opts.port, uiPort: opts.uiPort, binary: binary.path, startedAt: new Date().toISOString() };
  await writeFile(f.pidfile, JSON.stringify(record, null, 2));
  await waitUntilServing(opts, child.pid, f.log);
  log(`temporal dev server: gRPC ${opts.host}:${opts.port}, Web UI http://${opts.host}:${opts.uiPort}, database ${f.database}`);
  return devServerStatus(opts);
}

export async function stopDevServer(opts: DevServerOptions = defaultDevServer): Promise<'stopped' | 'not-running'> {
  const f = files(opts.dir);
  const record = await readPidRecord(f.pidfile);
  if (!record || !isAlive(record.pid)) {
    await rm(f.pidfile, { force: true });
    return 'not-running';
  }
  await stopGroup(record.pid);
  await rm(f.pidfile, { force: true });
  return 'stopped';
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

async function readPidRecord(pidfile: string): Promise<PidRecord | undefined> {
  try {
    return JSON.parse(await readFile(pidfile, 'utf8')) as PidRecord;
  } catch {
    return undefined;
  }
}
