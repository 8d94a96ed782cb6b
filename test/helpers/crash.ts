/**
 * Crash tests' shared code: real `udn-demo worker` processes to SIGKILL, the workflow history read
 * as a timeline, and the sandbox's side effects counted (bring-ups, migrations, object identities).
 *
 * Imported with `--import` into a worker process whose environment has UDN_TEST_CRASH_AFTER, this
 * module is also a crash hook: the worker SIGKILLs itself the moment the server has accepted the
 * completion of one chosen activity, before the workflow task that follows can complete — a crash
 * *between* two steps, at the workflow-task level, which no timing from outside can hit (the
 * next activity is scheduled within milliseconds). Only the moment is chosen; the death is real.
 */
import { appendFileSync, writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WorkflowHandle } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { execa, type ResultPromise } from 'execa';
import { identify } from '../../src/host/process-identity.ts';
import { formatWorkerIdentity, thisWorker } from '../../src/host/worker-identity.ts';
import type { Clients } from './sandbox.ts';

const require = createRequire(import.meta.url);
const bin = fileURLToPath(new URL('../../bin/udn-demo.js', import.meta.url));
/**
 * Loads this module as the crash hook in the worker's main thread only: the SDK's workflow thread
 * inherits the process's --import flags, and cannot load TypeScript at that point.
 */
const preload = `data:text/javascript,${encodeURIComponent(
  `import { isMainThread } from 'node:worker_threads';
   if (isMainThread) {
     const { register } = await import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))});
     register();
     await import(${JSON.stringify(import.meta.url)});
   }`,
)}`;

/** Which activity's completion the hooked worker dies after: its type and a string its input contains. */
export interface CrashAfter {
  activityType: string;
  inputIncludes: string;
}

const CRASH_ENV = 'UDN_TEST_CRASH_AFTER';

// ---------------------------------------------------------------------------------------------
// The crash hook (inert unless this process is a worker told to crash).

if (process.env[CRASH_ENV] && process.argv.includes('worker')) installCrashHook(JSON.parse(process.env[CRASH_ENV]) as CrashAfter);

function installCrashHook(target: CrashAfter): void {
  // The same module instances the SDK's worker binds to when it is created (after this preload).
  const { native } = require('@temporalio/core-bridge') as { native: Record<string, (...args: any[]) => Promise<any>> };
  const { coresdk } = require('@temporalio/proto') as typeof import('@temporalio/proto');
  const tokens = new Set<string>();
  let holding = false;
  const poll = native.workerPollActivityTask!;
  native.workerPollActivityTask = async (...args: any[]) => {
    const buffer: Buffer = await poll(...args);
    const task = coresdk.activity_task.ActivityTask.decode(new Uint8Array(buffer));
    const input = (task.start?.input ?? []).map((p) => Buffer.from(p.data ?? []).toString('utf8')).join('\n');
    if (task.start?.activityType === target.activityType && input.includes(target.inputIncludes)) tokens.add(Buffer.from(task.taskToken!).toString('base64'));
    return buffer;
  };
  const complete = native.workerCompleteActivityTask!;
  native.workerCompleteActivityTask = async (worker: unknown, completion: Buffer) => {
    const token = Buffer.from(coresdk.ActivityTaskCompletion.decodeDelimited(new Uint8Array(completion)).taskToken!).toString('base64');
    if (!tokens.has(token)) return complete(worker, completion);
    // From here on no workflow task of this worker may complete: the one that would schedule the
    // next step is left to the server's timeout, as after a real crash at this point.
    holding = true;
    await complete(worker, completion);
    writeSync(2, `crash hook: ${target.activityType} completed on the server; SIGKILL ${process.pid}\n`);
    process.kill(process.pid, 'SIGKILL');
  };
  const activation = native.workerCompleteWorkflowActivation!;
  native.workerCompleteWorkflowActivation = (...args: any[]) => (holding ? new Promise(() => undefined) : activation(...args));
}

// ---------------------------------------------------------------------------------------------
// Worker processes.

export interface WorkerProcess {
  child: ResultPromise;
  pid: number;
  /** Its Temporal identity, as createWorker names a worker (and history records it): host, pid, start time. */
  identity: string;
  spawnedAt: number;
  /** Resolves with the time it polls the task queue (workflows bundled, connected). */
  ready: Promise<number>;
  stderr(): string;
  /** Resolves when it has exited, with the signal that ended it, if any. */
  exited: Promise<string | undefined>;
}

/** A real `udn-demo worker`, as a person (or a process supervisor) starts one. */
export function spawnWorker(env: Record<string, string>, crashAfter?: CrashAfter): WorkerProcess {
  const spawnedAt = Date.now();
  const hook = crashAfter ? ['--import', preload] : [];
  const child = execa(process.execPath, [...hook, bin, 'worker'], {
    env: { ...env, ...(crashAfter ? { [CRASH_ENV]: JSON.stringify(crashAfter) } : {}) },
    reject: false,
    stdin: 'ignore',
    // Generous: the test ends it; this only stops a forgotten worker from outliving the file.
    timeout: 900_000,
  });
  let stderr = '';
  const ready = new Promise<number>((resolve, reject) => {
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (/worker: polling/.test(stderr)) resolve(Date.now());
    });
    child.then((r) => reject(new Error(`worker exited (${r.exitCode ?? r.signal}) before polling:\n${stderr}`)), reject);
  });
  ready.catch(() => undefined);
  const exited = child.then((r) => r.signal ?? undefined);
  // The worker runs in the process spawned (bin/udn-demo.js does not fork), on this host, boot and pid namespace.
  const identity = formatWorkerIdentity({ ...thisWorker(), pid: child.pid!, startTicks: identify(child.pid!)?.startTicks ?? -1 });
  return { child, pid: child.pid!, identity, spawnedAt, ready, stderr: () => stderr, exited };
}

export async function sigkill(w: WorkerProcess): Promise<number> {
  const at = Date.now();
  w.child.kill('SIGKILL');
  await w.exited;
  return at;
}

/** SIGTERM (the worker drains, as on Ctrl-C), SIGKILL if it is still there after 20 s. */
export async function stopWorker(w: WorkerProcess | undefined): Promise<void> {
  if (!w || w.child.exitCode !== null || w.child.signalCode !== null) return;
  w.child.kill('SIGTERM');
  const timer = setTimeout(() => w.child.kill('SIGKILL'), 20_000);
  await w.exited;
  clearTimeout(timer);
}

// ---------------------------------------------------------------------------------------------
// The workflow history as a timeline.

export interface ActivityRun {
  scheduledId: number;
  type: string;
  /** The step, from the activity's summary `step-id: …`. */
  step: string;
  /** Each recorded start: attempt, time and worker. Only the last attempt's start is in history; earlier ones show as `attempt`. */
  startedAt?: number;
  attempt?: number;
  identity?: string;
  /** The type of the failure that ended the attempt before the one recorded (ApplicationFailure's type, or `timeout:<kind>`). */
  lastFailure?: string;
  endedAt?: number;
  outcome?: 'completed' | 'failed' | 'timed-out' | 'cancelled';
}

export interface Timeline {
  activities: ActivityRun[];
  /** Workflow tasks: when each started and which worker took it; timed-out ones flagged. */
  workflowTasks: { startedAt: number; identity: string }[];
  workflowTaskTimeouts: number[];
  events: { id: number; time: number; kind: string }[];
}

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

const ms = (t: { seconds?: unknown; nanos?: number | null } | null | undefined): number => (t ? Number(t.seconds) * 1000 + Math.floor((t.nanos ?? 0) / 1e6) : 0);

function failureType(f: NonNullable<NonNullable<HistoryEvent['activityTaskStartedEventAttributes']>['lastFailure']>): string {
  if (f.applicationFailureInfo) return f.applicationFailureInfo.type ?? 'Error';
  if (f.timeoutFailureInfo) return `timeout:${f.timeoutFailureInfo.timeoutType}`;
  return f.message ?? 'unknown';
}

export async function timeline(handle: WorkflowHandle): Promise<Timeline> {
  const events = (await handle.fetchHistory()).events ?? [];
  const byScheduled = new Map<number, ActivityRun>();
  const out: Timeline = { activities: [], workflowTasks: [], workflowTaskTimeouts: [], events: [] };
  for (const e of events) {
    const id = Number(e.eventId);
    const time = ms(e.eventTime);
    const kind = Object.keys(e).find((k) => k.endsWith('EventAttributes') && (e as Record<string, unknown>)[k]) ?? 'unknown';
    out.events.push({ id, time, kind: kind.replace(/EventAttributes$/, '') });
    if (e.activityTaskScheduledEventAttributes) {
      const summary = e.userMetadata?.summary?.data ? JSON.parse(Buffer.from(e.userMetadata.summary.data).toString('utf8')) as string : '';
      const run: ActivityRun = { scheduledId: id, type: e.activityTaskScheduledEventAttributes.activityType?.name ?? '?', step: summary.split(':')[0]! };
      byScheduled.set(id, run);
      out.activities.push(run);
    }
    const s = e.activityTaskStartedEventAttributes;
    if (s) Object.assign(byScheduled.get(Number(s.scheduledEventId))!, { startedAt: time, attempt: s.attempt ?? 1, identity: s.identity ?? '', ...(s.lastFailure ? { lastFailure: failureType(s.lastFailure) } : {}) });
    const end = e.activityTaskCompletedEventAttributes ?? e.activityTaskFailedEventAttributes ?? e.activityTaskTimedOutEventAttributes ?? e.activityTaskCanceledEventAttributes;
    if (end) {
      const outcome = e.activityTaskCompletedEventAttributes ? 'completed' : e.activityTaskFailedEventAttributes ? 'failed' : e.activityTaskTimedOutEventAttributes ? 'timed-out' : 'cancelled';
      Object.assign(byScheduled.get(Number(end.scheduledEventId))!, { endedAt: time, outcome });
    }
    if (e.workflowTaskStartedEventAttributes) out.workflowTasks.push({ startedAt: time, identity: e.workflowTaskStartedEventAttributes.identity ?? '' });
    if (e.workflowTaskTimedOutEventAttributes) out.workflowTaskTimeouts.push(time);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The sandbox's side effects.

/** Who the sandbox is: a second bring-up would change its supervisor, its start time or its log. */
export interface SandboxIdentity {
  pgid: number;
  startedAt: string;
  /** 'ready' lines in the supervisor's log: one per bring-up into this directory. */
  readyLines: number;
}

export async function sandboxIdentity(dataDir: string, name = 'ovn'): Promise<SandboxIdentity> {
  const dir = join(dataDir, 'sandbox', name);
  const state = JSON.parse(await readFile(join(dir, 'state.json'), 'utf8')) as { pgid: number; startedAt: string; phase: string };
  const log = await readFile(join(dir, 'logs', 'supervisor.log'), 'utf8');
  return { pgid: state.pgid, startedAt: state.startedAt, readyLines: log.split('\n').filter((l) => /^\S+ ready$/.test(l)).length };
}

const KUBEVIRT = { group: 'kubevirt.io', version: 'v1' };

export async function migrations(c: Clients): Promise<{ name: string; namespace: string; phase?: string; vmi: string }[]> {
  const list = (await c.custom.listClusterCustomObject({ ...KUBEVIRT, plural: 'virtualmachineinstancemigrations' })) as { items: any[] };
  return list.items.map((m) => ({ name: m.metadata.name, namespace: m.metadata.namespace, phase: m.status?.phase, vmi: m.spec?.vmiName }));
}

/** `kind/namespace/name` → `uid@creationTimestamp` of what the demo creates in these namespaces. */
export async function objectIdentities(c: Clients, namespaces: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const add = (kind: string, items: any[]) => {
    for (const o of items) out.set(`${kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`, `${o.metadata.uid}@${o.metadata.creationTimestamp}`);
  };
  const nsList = await c.core.listNamespace();
  add('Namespace', nsList.items.filter((n) => namespaces.includes(n.metadata!.name!)));
  for (const namespace of namespaces) {
    add('Pod', (await c.core.listNamespacedPod({ namespace })).items);
    add('NetworkPolicy', (await c.net.listNamespacedNetworkPolicy({ namespace })).items);
    for (const [group, version, plural] of [
      ['k8s.ovn.org', 'v1', 'userdefinednetworks'],
      ['k8s.cni.cncf.io', 'v1', 'network-attachment-definitions'],
      ['kubevirt.io', 'v1', 'virtualmachines'],
      ['kubevirt.io', 'v1', 'virtualmachineinstances'],
      ['kubevirt.io', 'v1', 'virtualmachineinstancemigrations'],
    ] as const) {
      add(plural, ((await c.custom.listNamespacedCustomObject({ group, version, namespace, plural })) as { items: any[] }).items);
    }
  }
  return out;
}

export async function launcherCounts(c: Clients, namespace: string): Promise<Record<string, number>> {
  const pods = await c.core.listNamespacedPod({ namespace });
  const counts: Record<string, number> = {};
  for (const p of pods.items) {
    const vm = p.metadata?.labels?.['vm.kubevirt.io/name'];
    if (vm) counts[vm] = (counts[vm] ?? 0) + 1;
  }
  return counts;
}

// ---------------------------------------------------------------------------------------------
// Figures.

/** Appends one JSON line to the file named by $UDN_DEMO_FIGURES, if set. */
export function recordFigures(figures: Record<string, unknown>): void {
  const file = process.env.UDN_DEMO_FIGURES;
  if (file) appendFileSync(file, `${JSON.stringify({ at: new Date().toISOString(), ...figures })}\n`);
}

export const seconds = (msValue: number | undefined): string => (msValue === undefined ? 'n/a' : `${(msValue / 1000).toFixed(1)} s`);
