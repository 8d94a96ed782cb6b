/**
 * Item 4 of [8/8]: how quickly a run resumes after its worker dies. One DemoWorkflow run on one
 * sandbox (realistic profile ×0.25, as the crash test) and one dev server of its own; real
 * `udn-demo worker` processes (test/helpers/crash.ts) are SIGKILLed at several points of that run,
 * one after the other, and each time a new worker is started at once:
 *
 *   heartbeat-bound   inside an activity: the dead attempt is failed as WorkerDied by the new worker
 *                     as soon as it polls (src/worker/reaper.ts) and retried at once, or, if the new
 *                     worker is slower than that, noticed by its heartbeat timeout and retried after
 *                     the retry policy's first interval (wait-green-ready and wait-blue-ready while
 *                     VMs boot; live-migration with the migration under way);
 *   workflow-task-bound  between two steps: the dead worker had taken the workflow task that would
 *                     schedule the next step (the crash hook kills it the moment the server accepted
 *                     the previous activity's completion), freed by the workflow task timeout or, if
 *                     it had not taken it yet, by the sticky queue's schedule-to-start timeout.
 *
 * For each kill, from the new worker's start (t0): its own start-up until it first polls (ours),
 * the wait for what frees the interrupted work beyond that (the reaper's look, ours, or Temporal's
 * timeout), the retry backoff (our retry policy), and the rest until the interrupted step runs
 * again (dispatch). The start-up is itself split by a probe loaded into each worker
 * (NODE_OPTIONS=--import; inert in any other process): Node and its imports, connecting, bundling
 * the workflow code, the rest. Timestamps
 * come from the workers (probe lines on stderr), the server (history, pending-activity details) and
 * this process; one machine, one clock. The run must pass, the interrupted activities must have run
 * again and nothing finished may have run twice, or the measurement is invalid and this throws.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { WorkflowHandle } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import type { StepId } from '../src/scenarios/index.ts';
import type { DemoResult } from '../src/model/result.ts';
import { launcherCounts, migrations, objectIdentities, sandboxIdentity, sigkill, spawnWorker, stopWorker, timeline, type ActivityRun, type CrashAfter, type Timeline, type WorkerProcess } from '../test/helpers/crash.ts';
import { WORKFLOW_TASK_TIMEOUT } from '../src/cli/drive/start-or-attach.ts';
import { defineBenchmark, dist, ratio, type Figure } from './harness.ts';

type Bound = 'heartbeat' | 'workflow-task';
type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

interface KillPoint {
  name: string;
  bound: Bound;
  /** Heartbeat-bound: the step interrupted. Workflow-task-bound: the step that comes next. */
  step: StepId;
  /** The activity that must run (again) on the new worker: the interrupted one, or the next step's first. */
  activity: string;
  /** It belongs to the live-migration child workflow. */
  child?: boolean;
  /** Workflow-task-bound: the worker before this point dies on its own after this activity completes. */
  crashAfter?: CrashAfter;
}

/** In the order a run meets them. Quick: the three of the crash test. */
const POINTS: KillPoint[] = [
  { name: 'wait-green-ready', bound: 'heartbeat', step: 'wait-green-ready', activity: 'waitReady' },
  { name: 'after check-egress', bound: 'workflow-task', step: 'live-migration', activity: 'startTraffic', child: true, crashAfter: { activityType: 'runProbes', inputIncludes: '"host":' } },
  { name: 'live-migration', bound: 'heartbeat', step: 'live-migration', activity: 'migrateVmi', child: true },
  { name: 'wait-blue-ready', bound: 'heartbeat', step: 'wait-blue-ready', activity: 'waitReady' },
  // check-isolation's probes are the first that expect a denial.
  { name: 'after check-isolation', bound: 'workflow-task', step: 'check-netpol-baseline', activity: 'runProbes', crashAfter: { activityType: 'runProbes', inputIncludes: '"expect":"deny"' } },
];
const QUICK_POINTS = 3;

const EMULATION = { profile: 'realistic', scale: 0.25 } as const;
const POINT_TIMEOUT_MS = 120_000;

// ---------------------------------------------------------------------------------------------
// The probe each worker loads: timestamps of its start-up on stderr.

const PROBE_PREFIX = 'resumption-probe:';
type ProbeEvent = 'preload' | 'connect-start' | 'connect-end' | 'bundle-start' | 'bundle-end' | 'first-poll';

function probeSource(): string {
  const pkg = fileURLToPath(new URL('../package.json', import.meta.url));
  return `import { isMainThread } from 'node:worker_threads';
import { writeSync } from 'node:fs';
import { createRequire } from 'node:module';
const mark = (event) => writeSync(2, \`${PROBE_PREFIX} \${event} \${Date.now()}\\n\`);
if (isMainThread && process.argv.includes('worker') && (process.argv[1] ?? '').endsWith('udn-demo.js')) {
  mark('preload');
  const require = createRequire(${JSON.stringify(pkg)});
  const { native } = require('@temporalio/core-bridge');
  const newClient = native.newClient;
  native.newClient = async (...args) => { mark('connect-start'); try { return await newClient(...args); } finally { mark('connect-end'); } };
  for (const name of ['workerPollWorkflowActivation', 'workerPollActivityTask']) {
    const poll = native[name];
    let first = true;
    native[name] = (...args) => { if (first) { first = false; mark('first-poll'); } return poll(...args); };
  }
  const { WorkflowCodeBundler } = require('@temporalio/worker/lib/workflow/bundler.js');
  const createBundle = WorkflowCodeBundler.prototype.createBundle;
  WorkflowCodeBundler.prototype.createBundle = async function (...args) { mark('bundle-start'); try { return await createBundle.apply(this, args); } finally { mark('bundle-end'); } };
}
`;
}

/** The first time of each probe event in a worker's stderr. */
function probeTimes(w: WorkerProcess): Partial<Record<ProbeEvent, number>> {
  const out: Partial<Record<ProbeEvent, number>> = {};
  for (const m of w.stderr().matchAll(new RegExp(`^${PROBE_PREFIX} (\\S+) (\\d+)$`, 'gm'))) {
    const [, event, at] = m as unknown as [string, ProbeEvent, string];
    out[event] = Math.min(out[event] ?? Infinity, Number(at));
  }
  return out;
}

interface StartUp {
  /** spawn → the probe runs: Node, tsx. */
  node: number;
  /** → connecting starts: the CLI's imports, the config. */
  imports: number;
  connect: number;
  /** webpack bundling src/workflows (Worker.create with workflowsPath, or bundleWorkflowCode); 0 if none ran. */
  bundle: number;
  /** → first poll: activities, loading a prebuilt bundle if any, the workflow threads, the native worker. */
  rest: number;
  total: number;
  readyAt: number;
}

function startUp(w: WorkerProcess): StartUp {
  const t = probeTimes(w);
  const need = ['preload', 'connect-start', 'connect-end', 'first-poll'] as const;
  const missing = need.filter((e) => t[e] === undefined);
  if (missing.length > 0) throw new Error(`worker ${w.pid}: the start-up probe did not report ${missing.join(', ')} (the probe no longer fits the SDK?)\n${w.stderr().slice(-2000)}`);
  const at = t as Record<(typeof need)[number], number>;
  // No bundling at all when the worker is given a prebuilt bundle.
  const bundle = t['bundle-start'] !== undefined && t['bundle-end'] !== undefined ? t['bundle-end'] - t['bundle-start'] : 0;
  return {
    node: at.preload - w.spawnedAt,
    imports: at['connect-start'] - at.preload,
    connect: at['connect-end'] - at['connect-start'],
    bundle,
    rest: at['first-poll'] - at['connect-end'] - bundle,
    total: at['first-poll'] - w.spawnedAt,
    readyAt: at['first-poll'],
  };
}

// ---------------------------------------------------------------------------------------------
// Watching the server.

const tsMs = (t: { seconds?: unknown; nanos?: number | null } | null | undefined): number | undefined => (t ? Number(t.seconds) * 1000 + Math.floor((t.nanos ?? 0) / 1e6) : undefined);
/** A protobuf Duration has a Timestamp's shape. */
const durMs = tsMs;

/** Set when the benchmark is over (or failed): pollers still running stop. */
let over = false;

async function until<T>(what: string, read: () => Promise<T | undefined>, timeoutMs = POINT_TIMEOUT_MS, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !over) {
    const v = await read().catch(() => undefined);
    if (v !== undefined) return v;
    await sleep(everyMs);
  }
  throw new Error(`${over ? 'stopped' : `not reached within ${timeoutMs / 1000} s`}: ${what}`);
}

type Pending = NonNullable<Awaited<ReturnType<WorkflowHandle['describe']>>['raw']['pendingActivities']>[number];
const STARTED = 2; // PENDING_ACTIVITY_STATE_STARTED

async function pending(handle: WorkflowHandle, type: string): Promise<Pending | undefined> {
  const all = (await handle.describe()).raw.pendingActivities ?? [];
  return all.find((a) => a.activityType?.name === type);
}

/** What the server says about the interrupted activity between the kill and its retry's start. */
interface RetryWatch {
  lastHeartbeat?: number;
  /** When the server gave the dead attempt up (its heartbeat timeout fired), if it says so. */
  attemptEnded?: number;
  /** When the retry became due (the timeout + the retry policy's interval). */
  retryDue?: number;
  /** Our clock: the last look that still saw attempt 1 (sent), the first that saw the retry (answered). */
  lastSeenAttempt1?: number;
  firstSeenRetry?: number;
}

async function watchRetry(handle: WorkflowHandle, type: string): Promise<RetryWatch> {
  const seen: RetryWatch = {};
  await until(`${type} attempt 2 started`, async () => {
    const asked = Date.now();
    const p = await pending(handle, type);
    if (!p) return seen.firstSeenRetry !== undefined ? true : undefined;
    if (p.attempt === 1) {
      seen.lastHeartbeat = tsMs(p.lastHeartbeatTime) ?? seen.lastHeartbeat;
      seen.lastSeenAttempt1 = asked;
      return undefined;
    }
    seen.firstSeenRetry ??= Date.now();
    seen.attemptEnded ??= tsMs(p.lastAttemptCompleteTime);
    seen.retryDue ??= tsMs(p.nextAttemptScheduleTime);
    return p.state === STARTED ? true : undefined;
  }, 90_000, 100);
  return seen;
}

// ---------------------------------------------------------------------------------------------

interface Kill {
  point: KillPoint;
  killedAt: number;
  dead: WorkerProcess;
  next: WorkerProcess;
  watch?: Promise<RetryWatch>;
}

interface Split {
  point: KillPoint;
  total: number;
  ours: number;
  /** Heartbeat-bound: what freed the dead attempt. */
  freedBy: 'WorkerDied' | 'timeout';
  /** The wait beyond start-up for what freed the work: Temporal's timeout, or the reaper's look (ours). */
  temporal: number;
  reaper: number;
  backoff: number;
  dispatch: number;
  /** Kill → what freed the work (not cut by the worker's start-up). */
  killToFreed: number;
  /** Heartbeat-bound: how long after last heartbeat + timeout the server acted. */
  timeoutLate: number;
  detail: string;
}

export default defineBenchmark({
  title: 'Resumption after a SIGKILLed worker: new worker start → interrupted step running again (sandbox, realistic ×0.25)',
  async run(ctx): Promise<Figure[]> {
    const data = join(ctx.tmpDir, 'data');
    // The runner (child.ts) sets the same before anything reads it; the workers this starts inherit it,
    // and the sandbox is placed explicitly where their ensure-cluster looks.
    process.env.UDN_DEMO_DATA_DIR = data;
    const [{ configSchema }, { demoInputFromConfig }, { sandboxUp, sandboxDown }, { clientsFor }, { startTestServer }, { installRuntime }] = await Promise.all([
      import('../src/config/schema.ts'),
      import('../src/workflows/demo-input.ts'),
      import('../src/sandbox/index.ts'),
      import('../test/helpers/sandbox.ts'),
      import('../test/helpers/temporal-env.ts'),
      import('../src/worker.ts'),
    ]);
    const points = ctx.quick ? POINTS.slice(0, QUICK_POINTS) : POINTS;
    // A 4 s traffic tail, as the crash test: the kills are the subject.
    const config = configSchema.parse({ cluster: { provider: 'sandbox' }, sandbox: EMULATION, scenario: { migration: { tailSeconds: 4 } }, operator: { decisionTimeoutSeconds: 0 } });
    const input = demoInputFromConfig(config);
    // Where the workers' ensure-cluster looks for it (their UDN_DEMO_DATA_DIR): brought up here, reused by the run.
    const sandboxPath = join(data, 'sandbox', config.cluster.name);
    installRuntime(join(ctx.tmpDir, 'sdk.log'));
    const probe = join(ctx.tmpDir, 'probe.mjs');
    await writeFile(probe, probeSource());

    const began = Date.now();
    ctx.log('starting the dev server and the sandbox');
    const [server, sandbox] = await Promise.allSettled([startTestServer(), sandboxUp({ dir: sandboxPath, emulation: config.sandbox, log: () => undefined })]);
    const env = server.status === 'fulfilled' ? server.value : undefined;
    const workers: WorkerProcess[] = [];
    const workflowId = `resumption-${Date.now()}`;
    try {
      if (!env || sandbox.status === 'rejected') throw new Error(`set-up failed: ${[server, sandbox].flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : [])).join('; ')}`);
      const c = clientsFor(sandbox.value.kubeconfigPath!);
      const sandboxBefore = await sandboxIdentity(data);
      ctx.log(`set up in ${((Date.now() - began) / 1000).toFixed(1)} s`);
      const run: Run = {
        ctx,
        env,
        c,
        points,
        workers,
        handle: env.client.workflow.getHandle(workflowId),
        childHandle: env.client.workflow.getHandle(`${workflowId}/live-migration`),
        vars: { TEMPORAL_ADDRESS: env.address, UDN_DEMO_DATA_DIR: data, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${probe}`.trim() },
        kills: [],
        objectsAtKills: new Map(),
      };
      const started = Date.now();
      const result = await runWithKills(run, () => env.client.workflow.start('DemoWorkflow', { taskQueue: config.temporal.taskQueue, workflowId, args: [input], workflowTaskTimeout: WORKFLOW_TASK_TIMEOUT }));
      const runSeconds = (Date.now() - started) / 1000;
      ctx.log(`the run ended ${result.status} after ${runSeconds.toFixed(1)} s`);
      const figures = await analyse(run, result, { data, sandboxBefore, backoffMs: input.retry.initialIntervalSeconds * 1000, runSeconds });
      return [...figures, ...(await measurePrebundle(ctx, env.nativeConnection, config.temporal))];
    } finally {
      over = true;
      await env?.client.workflow.getHandle(workflowId).terminate('benchmark over').catch(() => undefined);
      for (const w of workers) await stopWorker(w);
      await env?.teardown();
      await sandboxDown(sandboxPath);
    }
  },
});

interface Run {
  ctx: { log: (l: string) => void; note: (l: string) => void };
  env: import('@temporalio/testing').TestWorkflowEnvironment;
  c: Parameters<typeof migrations>[0];
  points: KillPoint[];
  handle: WorkflowHandle;
  childHandle: WorkflowHandle;
  vars: Record<string, string>;
  /** Every worker started, in order. */
  workers: WorkerProcess[];
  kills: Kill[];
  /** What existed in the demo's namespaces at each kill (the first identity seen per object). */
  objectsAtKills: Map<string, string>;
}

/** The run, its first worker, and at each point a kill and a new worker at once; resolves with the result. */
async function runWithKills(run: Run, start: () => Promise<unknown>): Promise<DemoResult> {
  const { progressQuery } = await import('../src/workflows/queries.ts');
  const { points, handle, childHandle, c } = run;
  const stepRunning = async (id: StepId) => ((await handle.query(progressQuery)).steps.find((s) => s.id === id)?.state === 'running' ? true : undefined);
  let worker = spawnWorker(run.vars, points[0]!.crashAfter);
  run.workers.push(worker);
  await start();
  for (const [i, point] of points.entries()) {
    let killedAt: number;
    if (point.crashAfter) {
      // An unref'd timer: it must not keep the process alive after the race.
      const signal = await Promise.race([worker.exited, sleep(POINT_TIMEOUT_MS, 'timeout', { ref: false })]);
      killedAt = Date.now();
      if (signal !== 'SIGKILL' || !worker.stderr().includes(`crash hook: ${point.crashAfter.activityType} completed`)) {
        throw new Error(`${point.name}: the worker did not die by the crash hook (${signal}):\n${worker.stderr().slice(-2000)}`);
      }
    } else {
      const h = point.child ? childHandle : handle;
      await until(`${point.name}: ${point.activity} running`, async () => {
        if (!(await stepRunning(point.step))) return undefined;
        // The migration is under way: its object exists and has not finished.
        if (point.activity === 'migrateVmi' && !(await migrations(c)).some((m) => m.phase !== 'Succeeded')) return undefined;
        return (await pending(h, point.activity))?.state === STARTED ? true : undefined;
      });
      killedAt = await sigkill(worker);
    }
    const next = spawnWorker(run.vars, points[i + 1]?.crashAfter);
    run.workers.push(next);
    run.ctx.log(`${point.name}: worker ${worker.pid} killed, worker ${next.pid} started`);
    const kill: Kill = { point, killedAt, dead: worker, next };
    if (point.bound === 'heartbeat') kill.watch = watchRetry(point.child ? childHandle : handle, point.activity);
    kill.watch?.catch(() => undefined);
    run.kills.push(kill);
    // Nothing can change them before the new worker polls (seconds away).
    for (const [k, v] of await objectIdentities(c, ['green', 'blue'])) if (!run.objectsAtKills.has(k)) run.objectsAtKills.set(k, v);
    worker = next;
  }
  const result = (await handle.result()) as DemoResult;
  for (const k of run.kills) await k.watch;
  return result;
}

async function analyse(run: Run, result: DemoResult, o: { data: string; sandboxBefore: Awaited<ReturnType<typeof sandboxIdentity>>; backoffMs: number; runSeconds: number }): Promise<Figure[]> {
  const { ctx, kills, handle, childHandle } = run;
  const parent = await timeline(handle);
  const child = await timeline(childHandle);
  const parentRaw = (await handle.fetchHistory()).events ?? [];
  const raw = [...parentRaw, ...((await childHandle.fetchHistory()).events ?? [])];
  const all = [...parent.activities, ...child.activities];
  checkCorrectness(result, all, kills);
  await checkSideEffects({ data: o.data, sandboxBefore: o.sandboxBefore, objectsAtKills: run.objectsAtKills, c: run.c });

  const heartbeatTimeout = Math.max(...raw.map((e) => durMs(e.activityTaskScheduledEventAttributes?.heartbeatTimeout) ?? 0));
  const workflowTaskTimeout = durMs(parentRaw.find((e) => e.workflowExecutionStartedEventAttributes)?.workflowExecutionStartedEventAttributes?.workflowTaskTimeout) ?? Number.NaN;
  const splits: Split[] = [];
  for (const k of kills) splits.push(await split(k, all, parent, parentRaw, heartbeatTimeout, o.backoffMs));
  const startUps = run.workers.map(startUp);
  const wft = workflowTaskTimes(parent, child);
  const handOver = stickyHandOver(kills, all, parent, child);
  ctx.note(`one DemoWorkflow run on one sandbox (${EMULATION.profile} ×${EMULATION.scale}, 4 s traffic tail), ${kills.length} SIGKILLs, each followed at once by a new \`udn-demo worker\`; the run took ${o.runSeconds.toFixed(0)} s`);
  ctx.note(`configured in this run: heartbeat timeout ${heartbeatTimeout / 1000} s (every activity heartbeats every 2 s, throttle 2 s), retry first interval ${o.backoffMs / 1000} s (100 ms after WorkerDied), workflow task timeout ${workflowTaskTimeout / 1000} s (as the CLI starts a run), sticky schedule-to-start 5 s`);
  for (const s of splits) ctx.note(`${s.point.name} (${s.point.bound}-bound): ${s.detail}`);
  const ms = (x: number) => `${Math.round(x)}`;
  // The CLI's own "worker: polling" line (what the crash test waits for) against the probe's first poll.
  const lineVsPoll = await Promise.all(run.workers.map(async (w, i) => (await w.ready) - startUps[i]!.readyAt));
  ctx.note(`worker ready = its first poll call (probe); the CLI's "worker: polling" line was read ${ms(Math.min(...lineVsPoll))} to ${ms(Math.max(...lineVsPoll))} ms from it`);
  ctx.note(`worker start-ups, ms (Node / imports + config / connect / bundle / rest = total): ${startUps.map((u) => `${ms(u.node)} / ${ms(u.imports)} / ${ms(u.connect)} / ${ms(u.bundle)} / ${ms(u.rest)} = ${ms(u.total)}`).join('; ')}`);

  ctx.note('checked: the run passed; each interrupted activity ran again as attempt 2 on the new worker; the next step after a between-steps kill ran once, on the new worker; no activity of a step finished before a kill ran again, no other activity was retried; one sandbox bring-up, one migration, one launcher per VM (+ the migration target), the objects present at each kill the same objects at the end');
  ctx.note(`the parts of one resumption add up to its total along its critical path: ours = the new worker's start-up until its first poll; reaper = the further wait until that worker failed the dead attempt as WorkerDied; Temporal = the further wait for the timeout that frees the interrupted work (when the reaper did not); backoff = the wait for the retry (the retry policy's first interval after a heartbeat timeout, 100 ms after WorkerDied); dispatch = the rest. The new worker starts right after the kill, the worst case for Temporal's share: a worker started ${Math.round(heartbeatTimeout / 1000)} s or more after the kill waits for no timeout`);
  ctx.note(`workflow tasks in this run (${wft.all.length}): start → completion max ${Math.round(Math.max(...wft.all))} ms; the first task on each worker (after a kill, a replay of the whole history) max ${Math.round(Math.max(...wft.firstOnWorker))} ms; the timeout is ${workflowTaskTimeout / 1000} s`);
  ctx.note(`hand-over after a heartbeat-bound resumption (the retried activity's completion → the next workflow task started): ${handOver.map((h) => `${Math.round(h)} ms`).join(', ')}; the reaper resets the sticky queue of a run whose attempt it fails (otherwise the next task could wait 5 s on the dead worker's sticky queue), and the server sends no task to a sticky queue nobody has polled for 10 s`);

  const by = (b: Bound) => splits.filter((s) => s.point.bound === b);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const range = (xs: number[]) => `${(Math.min(...xs) / 1000).toFixed(1)}–${(Math.max(...xs) / 1000).toFixed(1)} s`;
  const reaped = by('heartbeat').filter((s) => s.freedBy === 'WorkerDied');
  ctx.note(`inside an activity, ${reaped.length} of ${by('heartbeat').length} dead attempts were failed as WorkerDied by the new worker (its reaper: same host, boot and pid namespace, the pid gone or another process), ${reaped.length ? range(reaped.map((s) => s.reaper)) : 'n/a'} after its first poll; the others waited for the heartbeat timeout`);
  const lateness = by('heartbeat').filter((s) => s.freedBy === 'timeout').map((s) => s.timeoutLate);
  if (lateness.length > 0) ctx.note(
    `inside an activity the bound is the heartbeat timeout (${heartbeatTimeout / 1000} s after the last heartbeat the server received; here it fired ${range(lateness.map((l) => l + heartbeatTimeout))} after it) plus the retry's first interval (${o.backoffMs / 1000} s). ` +
      'The timeout cannot be much lower: it must exceed the 2 s heartbeat interval, plus up to 2 s of SDK throttling before a beat reaches the server, plus the stalls of a loaded 2-core machine ' +
      `(here the server's own timer acted up to ${Math.round(Math.max(...lateness))} ms late); below that a live activity is taken for dead and run a second time while the first still runs, for live-migration a second migrateVmi against the same VMI. ` +
      'The first interval is ours (retry.initialIntervalSeconds, any positive number): lower would shorten each such resumption by up to that much, and also re-try every transient error sooner',
  );
  ctx.note(
    `between steps the bound is the workflow task timeout (${workflowTaskTimeout / 1000} s, start-to-close: the dead worker had taken the task; had it not, the sticky queue's 5 s schedule-to-start would free it). ` +
      `The CLI starts runs with it (src/cli/drive/start-or-attach.ts; the server's default is 10 s); a task that times out has no side effect (its commands are dropped and it is replayed; no local activities here), and the tasks of this run took at most ${Math.round(Math.max(...wft.all))} ms. ` +
      `It pays only while the new worker starts faster than the timeout: here start-up alone took ${range(by('workflow-task').map((s) => s.ours))}`,
  );
  const figures: Figure[] = [dist('resumption: new worker start → interrupted step running again, every kill', 'ms', splits.map((s) => s.total), { key: true })];
  for (const [bound, label] of [
    ['heartbeat', 'inside an activity (WorkerDied, else the heartbeat timeout)'],
    ['workflow-task', 'between steps (workflow task timeout)'],
  ] as const) {
    const ss = by(bound);
    if (ss.length === 0) continue;
    figures.push(
      dist(`${label}: total`, 'ms', ss.map((s) => s.total), { note: ss.map((s) => s.point.name).join(', ') }),
      dist(`${label}: ours (worker start-up until its first poll)`, 'ms', ss.map((s) => s.ours)),
      dist(`${label}: Temporal's bound (the further wait for the timeout)`, 'ms', ss.map((s) => s.temporal)),
      ...(bound === 'heartbeat' ? [dist(`${label}: the reaper (the further wait until the new worker failed the dead attempt)`, 'ms', ss.map((s) => s.reaper), { note: `${ss.filter((s) => s.freedBy === 'WorkerDied').length} of ${ss.length} failed as WorkerDied` })] : []),
      ...(bound === 'heartbeat' ? [dist(`${label}: retry backoff (our retry policy, or WorkerDied's 100 ms)`, 'ms', ss.map((s) => s.backoff))] : []),
      dist(`${label}: dispatch (the rest)`, 'ms', ss.map((s) => s.dispatch)),
      dist(`${label}: kill → the interrupted work freed`, 'ms', ss.map((s) => s.killToFreed)),
    );
  }
  figures.push(
    ratio('Temporal-bound share of resumption time (sum over kills)', 'Temporal / total', sum(splits.map((s) => s.temporal)) / sum(splits.map((s) => s.total)), { key: true }),
    ratio('our share of resumption time: worker start-up (sum over kills)', 'ours / total', sum(splits.map((s) => s.ours)) / sum(splits.map((s) => s.total))),
    dist('worker start-up: spawn → first poll', 'ms', startUps.map((s) => s.total), { note: `every worker of the run (${startUps.length})` }),
    dist('worker start-up: Node starting (spawn → first line of JS)', 'ms', startUps.map((s) => s.node)),
    dist('worker start-up: tsx and the CLI\'s imports, the config (→ connecting)', 'ms', startUps.map((s) => s.imports)),
    dist('worker start-up: connecting to the server', 'ms', startUps.map((s) => s.connect)),
    dist('worker start-up: bundling the workflow code (webpack)', 'ms', startUps.map((s) => s.bundle)),
    dist('worker start-up: the rest (activities, workflow threads, native worker)', 'ms', startUps.map((s) => s.rest)),
    ratio('bundling share of worker start-up (sum over workers)', 'bundle / start-up', sum(startUps.map((s) => s.bundle)) / sum(startUps.map((s) => s.total)), { key: true }),
    dist('workflow task start → completion, every task of the run', 'ms', wft.all, { note: `the timeout is ${workflowTaskTimeout / 1000} s` }),
  );
  return figures;
}

// ---------------------------------------------------------------------------------------------
// One kill's resumption, split along its critical path.

async function split(k: Kill, all: ActivityRun[], parent: Timeline, parentRaw: HistoryEvent[], heartbeatTimeout: number, backoffMs: number): Promise<Split> {
  const { point, killedAt, next } = k;
  const t0 = next.spawnedAt;
  const up = startUp(next);
  const resumed = all.filter((a) => a.identity === next.identity).sort((x, y) => x.startedAt! - y.startedAt!)[0];
  if (!resumed) throw new Error(`${point.name}: no activity ran on the new worker`);
  let freed: number;
  let due: number;
  let how: string;
  let timeoutLate = 0;
  let freedBy: Split['freedBy'] = 'timeout';
  if (point.bound === 'heartbeat' && resumed.lastFailure === 'WorkerDied') {
    // The new worker failed the attempt: the server records when, and the retry is due 100 ms later.
    const w = await k.watch!;
    freedBy = 'WorkerDied';
    if (w.attemptEnded === undefined) throw new Error(`${point.name}: the WorkerDied failure's time was not seen`);
    freed = w.attemptEnded;
    due = w.retryDue ?? freed;
    how = `the new worker failed the dead attempt as WorkerDied ${Math.round(freed - up.readyAt)} ms after its first poll (${Math.round(freed - killedAt)} ms after the kill); the retry was due ${Math.round(due - freed)} ms later`;
  } else if (point.bound === 'heartbeat') {
    const w = await k.watch!;
    if (w.lastHeartbeat === undefined) throw new Error(`${point.name}: the dead attempt's last heartbeat was not seen`);
    // The server does not fill lastAttemptCompleteTime for a timed-out attempt; the retry is due
    // one first interval after the timeout fired (no jitter), and it shows that time while waiting.
    freed = w.attemptEnded ?? (w.retryDue !== undefined ? w.retryDue - backoffMs : w.lastHeartbeat + heartbeatTimeout);
    due = w.retryDue ?? freed + backoffMs;
    const source = w.attemptEnded !== undefined ? 'as the server recorded it' : w.retryDue !== undefined ? 'the retry due time minus the first interval' : 'not seen: the last heartbeat + the timeout';
    const window = w.lastSeenAttempt1 !== undefined && w.firstSeenRetry !== undefined ? `; seen pending as attempt 1 until ${Math.round(w.lastSeenAttempt1 - w.lastHeartbeat)} ms and as the retry from ${Math.round(w.firstSeenRetry - w.lastHeartbeat)} ms after it` : '';
    if (w.lastSeenAttempt1 !== undefined && w.firstSeenRetry !== undefined && (freed < w.lastSeenAttempt1 - 50 || freed > w.firstSeenRetry + 50)) {
      throw new Error(`${point.name}: the timeout's time (${source}) is outside the window it was seen in${window}`);
    }
    timeoutLate = freed - w.lastHeartbeat - heartbeatTimeout;
    how = `last heartbeat ${Math.round(killedAt - w.lastHeartbeat)} ms before the kill; the heartbeat timeout fired ${Math.round(freed - w.lastHeartbeat)} ms after it (${source}${window}); the retry was due ${Math.round(due - freed)} ms later`;
  } else {
    // The task the dead worker left: freed by its timeout, in the parent's history (the hooked activities are the parent's).
    const hooked = parent.activities.filter((a) => a.type === point.crashAfter!.activityType && a.identity === k.dead.identity && a.endedAt! <= killedAt).sort((x, y) => y.endedAt! - x.endedAt!)[0];
    if (!hooked) throw new Error(`${point.name}: the activity the crash hook waited for is not in history`);
    const timedOut = parentRaw.find((e) => e.workflowTaskTimedOutEventAttributes && tsMs(e.eventTime)! >= hooked.endedAt! && tsMs(e.eventTime)! <= resumed.startedAt!);
    if (!timedOut) throw new Error(`${point.name}: no workflow task timed out between the kill and the next step (the kill was not between steps?)`);
    freed = tsMs(timedOut.eventTime)!;
    due = freed;
    const type = timedOut.workflowTaskTimedOutEventAttributes?.timeoutType === 2 /* TIMEOUT_TYPE_SCHEDULE_TO_START */ ? 'schedule-to-start: the sticky queue' : 'start-to-close: the workflow task timeout';
    how = `${point.crashAfter!.activityType} completed ${Math.round(killedAt - hooked.endedAt!)} ms before the worker was seen dead; the workflow task timed out (${type}) ${Math.round(freed - hooked.endedAt!)} ms after that completion`;
  }
  if (resumed.type !== point.activity || resumed.step !== point.step) throw new Error(`${point.name}: the new worker first ran ${resumed.step}/${resumed.type}, not ${point.step}/${point.activity}`);
  const ready = up.readyAt;
  const ours = ready - t0;
  const waited = Math.max(0, freed - ready);
  const temporal = freedBy === 'WorkerDied' ? 0 : waited;
  const reaper = freedBy === 'WorkerDied' ? waited : 0;
  const backoff = Math.max(0, due - Math.max(freed, ready));
  const dispatch = resumed.startedAt! - Math.max(ready, due);
  const total = resumed.startedAt! - t0;
  if (dispatch < -20 || total <= 0) throw new Error(`${point.name}: inconsistent timestamps (dispatch ${dispatch} ms, total ${total} ms)`);
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  return {
    point,
    total,
    ours,
    freedBy,
    temporal,
    reaper,
    backoff,
    dispatch: Math.max(0, dispatch),
    killToFreed: freed - killedAt,
    timeoutLate,
    detail: `${resumed.type} (attempt ${resumed.attempt}) running ${s(total)} after the new worker's start = ours ${s(ours)} + ${freedBy === 'WorkerDied' ? `reaper ${s(reaper)}` : `Temporal ${s(temporal)}`} + backoff ${s(backoff)} + dispatch ${s(Math.max(0, dispatch))}; new worker spawned ${Math.round(t0 - killedAt)} ms after the kill; ${how}`,
  };
}

/** Start → completion of every workflow task, and of the first on each worker (a replay of the whole history). */
function workflowTaskTimes(...tls: Timeline[]): { all: number[]; firstOnWorker: number[] } {
  const all: number[] = [];
  const firstOnWorker: number[] = [];
  for (const tl of tls) {
    const seen = new Set<string>();
    let wftIndex = 0;
    for (const [i, e] of tl.events.entries()) {
      if (e.kind !== 'workflowTaskStarted') continue;
      const end = tl.events.slice(i + 1).find((x) => x.kind.startsWith('workflowTask'));
      const identity = tl.workflowTasks[wftIndex++]?.identity ?? '';
      if (!end || end.kind !== 'workflowTaskCompleted') continue;
      all.push(end.time - e.time);
      if (!seen.has(identity)) firstOnWorker.push(end.time - e.time);
      seen.add(identity);
    }
  }
  return { all, firstOnWorker };
}

/** After a heartbeat-bound kill: the retried activity's completion → the next workflow task's start, in its workflow. */
function stickyHandOver(kills: Kill[], all: ActivityRun[], parent: Timeline, child: Timeline): number[] {
  const out: number[] = [];
  for (const k of kills.filter((x) => x.point.bound === 'heartbeat')) {
    const retried = all.find((a) => a.identity === k.next.identity && a.type === k.point.activity && a.step === k.point.step);
    const next = (k.point.child ? child : parent).workflowTasks.find((w) => w.startedAt >= retried!.endedAt!);
    if (next) out.push(next.startedAt - retried!.endedAt!);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Validity: a resumption that redid finished work, or did not redo the interrupted one, measures nothing.

function checkCorrectness(result: DemoResult, all: ActivityRun[], kills: Kill[]): void {
  const invalid = (why: string) => new Error(`invalid measurement: ${why}`);
  if (result.status !== 'passed') throw invalid(`the run did not pass: ${JSON.stringify(result.failure ?? result.checks.filter((x) => !x.passed))}`);
  const notDone = all.filter((a) => a.outcome !== 'completed');
  if (notDone.length > 0) throw invalid(`activities did not complete: ${notDone.map((a) => `${a.step}/${a.type} ${a.outcome}`).join(', ')}`);
  const retriedSteps = new Set<string>(kills.filter((k) => k.point.bound === 'heartbeat').map((k) => k.point.step));
  for (const k of kills) {
    const onNew = all.filter((a) => a.identity === k.next.identity && a.type === k.point.activity && a.step === k.point.step);
    const wanted = k.point.bound === 'heartbeat' ? 2 : 1;
    if (onNew.length !== 1 || onNew[0]!.attempt !== wanted) throw invalid(`${k.point.name}: expected ${k.point.step}/${k.point.activity} once on the new worker as attempt ${wanted}, found ${JSON.stringify(onNew.map((a) => a.attempt))}`);
    // Nothing of a step that had finished work before the kill ran after it (the crash test's rule).
    const doneBefore = all.filter((a) => a.endedAt! <= k.killedAt);
    const stepsDone = new Set(doneBefore.map((a) => a.step));
    stepsDone.delete(k.point.step);
    const again = all.filter((a) => stepsDone.has(a.step) && !doneBefore.includes(a));
    if (again.length > 0) throw invalid(`${k.point.name}: finished steps ran again after the kill: ${again.map((a) => `${a.step}/${a.type}`).join(', ')}`);
  }
  const interrupted = new Set(kills.filter((k) => k.point.bound === 'heartbeat').map((k) => `${k.point.step}/${k.point.activity}`));
  const extra = all.filter((a) => a.attempt !== 1 && !interrupted.has(`${a.step}/${a.type}`));
  if (extra.length > 0) throw invalid(`activities retried without a kill (a healthy attempt taken for dead?): ${extra.map((a) => `${a.step}/${a.type} attempt ${a.attempt}`).join(', ')}`);
  for (const step of result.steps) {
    if (step.state !== 'succeeded') throw invalid(`${step.id} ${step.state}`);
    if (retriedSteps.has(step.id) ? step.attempts !== 2 : step.attempts !== 1) throw invalid(`${step.id} recorded ${step.attempts} attempts`);
  }
}

async function checkSideEffects(s: { data: string; sandboxBefore: Awaited<ReturnType<typeof sandboxIdentity>>; objectsAtKills: Map<string, string>; c: Parameters<typeof migrations>[0] }): Promise<void> {
  const invalid = (why: string) => new Error(`invalid measurement: ${why}`);
  const now = await sandboxIdentity(s.data);
  if (now.pgid !== s.sandboxBefore.pgid || now.readyLines !== 1) throw invalid(`the sandbox was brought up again (${JSON.stringify(s.sandboxBefore)} → ${JSON.stringify(now)})`);
  const ms = await migrations(s.c);
  if (ms.length !== 1 || ms[0]!.phase !== 'Succeeded') throw invalid(`migrations: ${JSON.stringify(ms)}`);
  const green = await launcherCounts(s.c, 'green');
  const blue = await launcherCounts(s.c, 'blue');
  if (JSON.stringify(green) !== JSON.stringify({ 'vm-a': 1, 'vm-b': 2 }) || JSON.stringify(blue) !== JSON.stringify({ 'vm-a': 1 })) throw invalid(`launcher pods: green ${JSON.stringify(green)}, blue ${JSON.stringify(blue)}`);
  const objects = await objectIdentities(s.c, ['green', 'blue']);
  const changed = [...s.objectsAtKills].filter(([key, id]) => objects.get(key) !== id);
  if (changed.length > 0) throw invalid(`objects recreated: ${changed.map(([key]) => key).join(', ')}`);
}

// ---------------------------------------------------------------------------------------------
// Bundling once (at set-up, or cached) and starting workers from the bundle, against bundling at
// every start. Worker.create itself, so the comparison does not depend on what src/worker.ts does.

async function measurePrebundle(
  ctx: { log: (l: string) => void; note: (l: string) => void; tmpDir: string; quick: boolean },
  connection: import('@temporalio/worker').NativeConnection,
  temporal: import('../src/config/schema.ts').TemporalConfig,
): Promise<Figure[]> {
  const [{ bundleWorkflowCode, DefaultLogger, Worker }, { workflowsPath }] = await Promise.all([import('@temporalio/worker'), import('../src/worker.ts')]);
  ctx.log('prebundling: bundleWorkflowCode, then Worker.create from workflowsPath vs. from the bundle file');
  const bundleStart = performance.now();
  const { code } = await bundleWorkflowCode({ workflowsPath, logger: new DefaultLogger('WARN') });
  const bundleMs = performance.now() - bundleStart;
  const codePath = join(ctx.tmpDir, 'workflow-bundle.js');
  await writeFile(codePath, code);
  const createAndClose = async (fromFile: boolean) => {
    const started = performance.now();
    const w = await Worker.create({
      connection,
      namespace: temporal.namespace,
      taskQueue: `prebundle-${Math.random().toString(36).slice(2)}`,
      ...(fromFile ? { workflowBundle: { codePath } } : { workflowsPath }),
    });
    const ms = performance.now() - started;
    await w.runUntil(Promise.resolve());
    return ms;
  };
  const n = ctx.quick ? 1 : 2;
  const times: Record<'path' | 'bundle', number[]> = { path: [], bundle: [] };
  // Taking turns (path, bundle, bundle, path, …), so a change in the machine's load hits both alike.
  for (let i = 0; i < 2 * n; i++) {
    if ((i % 2 === 0) === (Math.floor(i / 2) % 2 === 0)) times.path.push(await createAndClose(false));
    else times.bundle.push(await createAndClose(true));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[(xs.length - 1) >> 1]!;
  ctx.note(`prebundling, in this process after the run: bundleWorkflowCode ${Math.round(bundleMs)} ms (${(code.length / 2 ** 20).toFixed(1)} MiB of code); Worker.create from workflowsPath ${times.path.map(Math.round).join(', ')} ms, from the bundle file ${times.bundle.map(Math.round).join(', ')} ms`);
  return [
    dist('Worker.create from workflowsPath (webpack at every start)', 'ms', times.path),
    dist('Worker.create from a prebuilt bundle file (workflowBundle.codePath)', 'ms', times.bundle),
    ratio('Worker.create: prebuilt bundle / workflowsPath (medians)', '×', median(times.bundle) / median(times.path)),
  ];
}
