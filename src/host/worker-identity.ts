import { readlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { identify } from './process-identity.ts';

/**
 * A worker's Temporal identity names its process for good, so that another worker can later tell
 * from history alone whether it is dead: `udn-demo@<host>/pid=<pid>/start=<ticks>/boot=<boot id>/pidns=<inode>`.
 * The pid namespace is there because two containers on one kernel share the host name and the
 * boot id but not their pids: a pid we cannot see may be alive in another namespace.
 */
export interface WorkerFacts {
  host: string;
  pid: number;
  startTicks: number;
  bootId: string;
  pidNamespace: string;
}

/** What this machine is, as the identities it writes say it; compared with a recorded identity. */
export type HostFacts = Pick<WorkerFacts, 'host' | 'bootId' | 'pidNamespace'>;

const PATTERN = /^udn-demo@([^/]+)\/pid=(\d+)\/start=(\d+)\/boot=([0-9a-f-]+)\/pidns=(\d+)$/;

export function formatWorkerIdentity(f: WorkerFacts): string {
  return `udn-demo@${f.host}/pid=${f.pid}/start=${f.startTicks}/boot=${f.bootId}/pidns=${f.pidNamespace}`;
}

/** The facts an identity records, or undefined when it is not one of ours (e.g. the SDK's `<pid>@<host>`). */
export function parseWorkerIdentity(identity: string): WorkerFacts | undefined {
  const m = PATTERN.exec(identity);
  if (!m) return undefined;
  return { host: m[1]!, pid: Number(m[2]), startTicks: Number(m[3]), bootId: m[4]!, pidNamespace: m[5]! };
}

/** This process's facts (Linux: /proc). */
export function thisWorker(): WorkerFacts {
  const me = identify(process.pid);
  if (!me) throw new Error('cannot read /proc/self/stat: the worker identity needs Linux /proc');
  return { host: hostname(), pid: me.pid, startTicks: me.startTicks, bootId: me.bootId, pidNamespace: readlinkSync('/proc/self/ns/pid').replace(/\D/g, '') };
}

export function workerIdentity(): string {
  return formatWorkerIdentity(thisWorker());
}

/** What a recorded identity says of its worker now. */
export type Liveness = 'dead' | 'alive' | 'unknown';

/**
 * Whether the worker an identity names is dead. "dead" only when that is proven: the same host,
 * boot and pid namespace as here (so the pid means the same thing), and its pid now free or held
 * by a process that started at another time. Anything else — another machine, another boot,
 * another namespace, an identity of another format — is "unknown", never "dead": acting on a
 * worker that may be alive runs its activity twice (for live-migration, a second migration).
 * `startTicksOf` reads the process table: the start ticks of the process with that pid, or undefined.
 */
export function judgeWorker(identity: string, here: HostFacts, startTicksOf: (pid: number) => number | undefined): Liveness {
  const w = parseWorkerIdentity(identity);
  if (!w || w.host !== here.host || w.bootId !== here.bootId || w.pidNamespace !== here.pidNamespace) return 'unknown';
  const now = startTicksOf(w.pid);
  return now === w.startTicks ? 'alive' : 'dead';
}
