import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { configSchema } from '../../src/config/schema.ts';
import type { StepId } from '../../src/scenarios/index.ts';
import type { DemoResult } from '../../src/model/result.ts';
import { sandboxDown, type EmulationOptions } from '../../src/sandbox/index.ts';
import { demoInputFromConfig } from '../../src/workflows/demo-input.ts';
import { progressQuery } from '../../src/workflows/queries.ts';
import {
  launcherCounts,
  migrations,
  objectIdentities,
  recordFigures,
  sandboxIdentity,
  seconds,
  sigkill,
  spawnWorker,
  stopWorker,
  timeline,
  type CrashAfter,
  type SandboxIdentity,
  type WorkerProcess,
} from '../helpers/crash.ts';
import { clientsFor, type Clients } from '../helpers/sandbox.ts';
import { startTestServer } from '../helpers/temporal-env.ts';

/**
 * SIGKILL a real `udn-demo worker` at chosen points of a sandbox run; a new worker resumes it.
 * For each point: the run passes, no step that had completed runs again (history: each of its
 * activities started once, on the first worker), only the interrupted step shows attempts > 1,
 * and the sandbox saw every side effect once: one bring-up, one migration, the objects created
 * before the kill still the same objects (uid, creationTimestamp), one launcher pod per VM plus
 * the migration's target. An attempt the dead worker held ends as WorkerDied, failed by the new
 * worker as soon as it polls (src/worker/reaper.ts), not by the heartbeat timeout 10 s later.
 * The resumption times are printed and, with $UDN_DEMO_FIGURES, recorded.
 */

interface CrashPoint {
  name: string;
  title: string;
  emulation: EmulationOptions;
  /** The step the crash interrupts: the only one allowed attempts > 1 (when `rerunsActivity`). */
  step: StepId;
  /** Whether an activity was running at the kill, so the interrupted step must run it again. */
  rerunsActivity: boolean;
  /** Let the first worker run to the crash point; resolves when it is dead, with the kill's time. */
  crash(ctx: CaseContext): Promise<number>;
  /** The hook that makes the first worker die on its own (between steps). */
  crashAfter?: CrashAfter;
}

interface CaseContext {
  handle: WorkflowHandle;
  first: WorkerProcess;
  c: () => Clients;
  data: string;
  /** Recorded by `crash` just before the kill. */
  before?: { objects: Map<string, string>; sandbox: SandboxIdentity };
}

const GREEN = 'green';

async function waitFor<T>(what: string, read: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const v = await read().catch(() => undefined);
    if (v !== undefined) return v;
    await sleep(50);
  }
  throw new Error(`crash point not reached within ${timeoutMs / 1000} s: ${what}`);
}

async function stepState(handle: WorkflowHandle, id: StepId): Promise<string | undefined> {
  const p = await handle.query(progressQuery);
  return p.steps.find((s) => s.id === id)?.state;
}

async function activityStarted(handle: WorkflowHandle, type: string): Promise<true | undefined> {
  const pending = (await handle.describe()).raw.pendingActivities ?? [];
  // PENDING_ACTIVITY_STATE_STARTED: a worker holds it.
  return pending.some((a) => a.activityType?.name === type && a.state === 2) ? true : undefined;
}

/**
 * What ended an activity's first attempt, as the server says while the second is pending
 * (`timeout:4` for a heartbeat timeout): history keeps only the last attempt's cause, and a later
 * attempt may end too (a loaded machine can stall a live worker past the heartbeat timeout).
 */
async function firstAttemptEnd(handles: WorkflowHandle[], deadline: number): Promise<string | undefined> {
  while (Date.now() < deadline) {
    for (const h of handles) {
      const pending = (await h.describe().catch(() => undefined))?.raw.pendingActivities ?? [];
      const retry = pending.find((a) => a.attempt === 2 && a.lastFailure);
      if (retry) {
        const f = retry.lastFailure!;
        return f.applicationFailureInfo ? (f.applicationFailureInfo.type ?? 'Error') : f.timeoutFailureInfo ? `timeout:${f.timeoutFailureInfo.timeoutType}` : (f.message ?? 'unknown');
      }
    }
    await sleep(100);
  }
  return undefined;
}

/** Whether any of these runs has an attempt still held (started) by this worker. */
async function startedBy(handles: WorkflowHandle[], identity: string): Promise<boolean> {
  for (const h of handles) {
    const pending = (await h.describe().catch(() => undefined))?.raw.pendingActivities ?? [];
    if (pending.some((a) => a.state === 2 && a.lastWorkerIdentity === identity)) return true;
  }
  return false;
}

async function recordBeforeKill(ctx: CaseContext): Promise<void> {
  ctx.before = { objects: await objectIdentities(ctx.c(), [GREEN, 'blue']), sandbox: await sandboxIdentity(ctx.data) };
}

const POINTS: CrashPoint[] = [
  {
    name: 'wait-green-ready',
    title: 'inside a long wait: wait-green-ready while the VMs boot',
    emulation: { profile: 'realistic', scale: 0.25 },
    step: 'wait-green-ready',
    rerunsActivity: true,
    async crash(ctx) {
      await waitFor('waitReady running', async () => ((await stepState(ctx.handle, 'wait-green-ready')) === 'running' ? activityStarted(ctx.handle, 'waitReady') : undefined));
      await recordBeforeKill(ctx);
      const vmis = (await ctx.c().custom.listNamespacedCustomObject({ group: 'kubevirt.io', version: 'v1', namespace: GREEN, plural: 'virtualmachineinstances' })) as { items: any[] };
      const ready = vmis.items.filter((v) => v.status?.conditions?.some((x: any) => x.type === 'Ready' && x.status === 'True'));
      assert.ok(ready.length < 2, `a VM is still booting at the kill, the wait under way (VMIs ready: ${ready.length} of 2)`);
      return sigkill(ctx.first);
    },
  },
  {
    name: 'live-migration',
    title: 'during the migration experiment: the migration object exists and has not finished',
    emulation: { profile: 'realistic', scale: 0.25 },
    step: 'live-migration',
    rerunsActivity: true,
    async crash(ctx) {
      await waitFor('live-migration running with its migration created', async () => {
        if ((await stepState(ctx.handle, 'live-migration')) !== 'running') return undefined;
        return (await migrations(ctx.c())).length > 0 ? true : undefined;
      });
      await recordBeforeKill(ctx);
      const [m] = await migrations(ctx.c());
      assert.notEqual(m!.phase, 'Succeeded', 'the migration is still under way at the kill');
      return sigkill(ctx.first);
    },
  },
  {
    name: 'between-steps',
    title: 'between steps: check-egress completed on the server, the workflow task that starts live-migration not yet',
    emulation: { profile: 'instant', scale: 1 },
    step: 'live-migration',
    rerunsActivity: false,
    crashAfter: { activityType: 'runProbes', inputIncludes: '"host":' }, // the one probe to a host outside: egress
    async crash(ctx) {
      const signal = await ctx.first.exited;
      const killedAt = Date.now();
      assert.equal(signal, 'SIGKILL', `the worker died by the crash hook:\n${ctx.first.stderr()}`);
      assert.match(ctx.first.stderr(), /crash hook: runProbes completed/);
      await recordBeforeKill(ctx);
      return killedAt;
    },
  },
];

describe('a worker SIGKILLed at a chosen point; a new worker resumes the run', { timeout: 600_000 }, () => {
  let env: TestWorkflowEnvironment;
  before(async () => {
    env = await startTestServer();
  });
  after(async () => {
    // Also what a timed-out case left behind: its workers and its sandbox.
    for (const cleanup of cleanups.splice(0)) await cleanup();
    await env?.teardown();
  });

  for (const point of POINTS) {
    it(`${point.title}: passes, nothing completed runs again, every side effect once`, { timeout: 240_000 }, (t) => crashCase(t, env, point));
  }
});

const cleanups: (() => Promise<void>)[] = [];

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

async function crashCase(t: TestContext, env: TestWorkflowEnvironment, point: CrashPoint): Promise<void> {
  const data = await mkdtemp(join(tmpdir(), `udn-crash-${point.name}-`));
  const vars = { TEMPORAL_ADDRESS: env.address, UDN_DEMO_DATA_DIR: data };
  const workflowId = `crash-${point.name}`;
  // A 4 s traffic tail after the migration instead of 10 s: the crashes are the subject here, and the file stays under 4 minutes.
  const config = configSchema.parse({ cluster: { provider: 'sandbox' }, sandbox: point.emulation, scenario: { migration: { tailSeconds: 4 } } });
  let clients: Clients | undefined;
  const ctx: CaseContext = {
    handle: undefined as unknown as WorkflowHandle,
    first: spawnWorker(vars, point.crashAfter),
    c: () => (clients ??= clientsFor(join(data, 'sandbox', 'ovn', 'kubeconfig'))),
    data,
  };
  let second: WorkerProcess | undefined;
  const cleanup = async () => {
    // A case that failed midway must not leave its run open for the next case's workers to pick up.
    await ctx.handle?.terminate('test over').catch(() => undefined);
    await stopWorker(ctx.first);
    await stopWorker(second);
    await sandboxDown(join(data, 'sandbox', 'ovn'));
  };
  cleanups.push(cleanup);
  try {
    const startedAt = Date.now();
    ctx.handle = await env.client.workflow.start('DemoWorkflow', { taskQueue: 'udn-demo', workflowId, args: [demoInputFromConfig(config)] });
    await ctx.first.ready;
    const killedAt = await point.crash(ctx);

    second = spawnWorker(vars);
    const runs = [ctx.handle, env.client.workflow.getHandle(`${workflowId}/live-migration`)];
    const deadAttemptAtReady = second.ready.then(() => startedBy(runs, ctx.first.identity));
    deadAttemptAtReady.catch(() => undefined);
    const firstAttemptEnded = point.rerunsActivity ? firstAttemptEnd(runs, Date.now() + 120_000) : undefined;
    const result = (await ctx.handle.result()) as DemoResult;
    const endedAt = Date.now();
    const secondReady = await second.ready;
    await stopWorker(second);

    assert.equal(result.status, 'passed', JSON.stringify(result.failure ?? result.checks.filter((x) => !x.passed)));
    const parent = await timeline(ctx.handle);
    const child = await timeline(env.client.workflow.getHandle(`${workflowId}/live-migration`));
    const all = [...parent.activities, ...child.activities];
    const resumed = all.filter((a) => a.step === point.step && a.identity === second!.identity).sort((x, y) => x.startedAt! - y.startedAt!);
    assert.ok(resumed.length > 0, `${point.step} ran on the new worker`);

    // Figures, from the new worker's start (before the other checks, so a failing case still shows them).
    const stepRecord = result.steps.find((s) => s.id === point.step)!;
    const stepActivitiesDone = Math.max(...all.filter((a) => a.step === point.step).map((a) => a.endedAt!));
    const figures = {
      test: 'worker-crash',
      crashPoint: point.name,
      emulation: `${point.emulation.profile} x${point.emulation.scale}`,
      interruptedStep: point.step,
      resumedActivity: `${resumed[0]!.type} attempt ${resumed[0]!.attempt}`,
      workerReadyMs: secondReady - second.spawnedAt,
      killToNewWorkerMs: second.spawnedAt - killedAt,
      activityRunningAgainMs: resumed[0]!.startedAt! - second.spawnedAt,
      stepActivitiesDoneMs: stepActivitiesDone - second.spawnedAt,
      stepRecordedDoneMs: Date.parse(stepRecord.endedAt!) - second.spawnedAt,
      workflowTaskTimeouts: parent.workflowTaskTimeouts.length + child.workflowTaskTimeouts.length,
      interruptedAttemptEndedAs: resumed[0]!.lastFailure ?? 'n/a',
      runMs: endedAt - startedAt,
    };
    t.diagnostic(
      `${point.name}: new worker polling after ${seconds(figures.workerReadyMs)}; ${figures.resumedActivity} running ${seconds(figures.activityRunningAgainMs)} after the new worker's start, ` +
        `${point.step}'s activities done after ${seconds(figures.stepActivitiesDoneMs)}, the step recorded done after ${seconds(figures.stepRecordedDoneMs)}; ` +
        `${figures.workflowTaskTimeouts} workflow task timeout(s); the interrupted attempt ended as ${figures.interruptedAttemptEndedAs}; whole run ${seconds(figures.runMs)}`,
    );
    recordFigures(figures);
    const reaped = second.stderr().split('\n').filter((line) => /WorkerDied|is dead|dead workers/.test(line));
    t.diagnostic(`${point.name}: the new worker's look for dead workers' attempts: ${reaped.join(' | ') || 'none failed'}`);

    // What freed the interrupted attempt, before the rest: it is what the new worker does first.
    if (point.rerunsActivity) {
      assert.ok(resumed[0]!.attempt! >= 2, `${point.step}/${resumed[0]!.type} is a retry of the interrupted attempt (attempt ${resumed[0]!.attempt})`);
      // The new worker saw the old one dead and failed its attempt at once. It must have, when the
      // attempt still waited for its heartbeat timeout as the worker began to poll; a new worker
      // slower than the timeout (a loaded machine) finds the attempt already retried.
      if (await deadAttemptAtReady) {
        assert.equal(await firstAttemptEnded, 'WorkerDied', `${point.step}/${resumed[0]!.type}: the interrupted attempt ended as WorkerDied (not a heartbeat timeout), as the server said while the retry was pending`);
        assert.match(second.stderr(), new RegExp(`failed ${workflowId}\\S* activity ${resumed[0]!.type} \\(id \\S+\\) attempt 1 as WorkerDied: its worker ${escape(ctx.first.identity)} is dead`));
        // History holds the cause of the last attempt's predecessor only: the interrupted one when the retry was the last.
        if (resumed[0]!.attempt === 2) assert.equal(resumed[0]!.lastFailure, 'WorkerDied', `${point.step}/${resumed[0]!.type}: history says the interrupted attempt ended as WorkerDied`);
        else t.diagnostic(`${point.name}: the retry itself was taken for dead (attempt ${resumed[0]!.attempt} ran; ended as ${resumed[0]!.lastFailure}): the machine stalled the live worker past the heartbeat timeout`);
      } else t.diagnostic(`${point.name}: the heartbeat timeout freed the attempt before the new worker polled (${seconds(secondReady - killedAt)} after the kill); WorkerDied not checked`);
    } else assert.equal(resumed[0]!.attempt, 1, `${point.step}/${resumed[0]!.type} had not started before the kill`);

    // The steps say which one was interrupted.
    for (const step of result.steps) {
      assert.equal(step.state, 'succeeded', `${step.id}: ${step.outcome}`);
      if (step.id === point.step && point.rerunsActivity) assert.ok(step.attempts >= 2, `${step.id} ran its interrupted activity again (attempts ${step.attempts})`);
      else assert.equal(step.attempts, 1, `${step.id} was not retried (attempts ${step.attempts})`);
    }

    // History: what completed before the kill ran once, on the first worker; what follows ran on the second.
    const doneBefore = all.filter((a) => a.outcome === 'completed' && a.endedAt! <= killedAt);
    assert.ok(doneBefore.length >= 4, `activities completed before the kill: ${doneBefore.map((a) => a.step).join(', ')}`);
    for (const a of doneBefore) {
      assert.equal(a.attempt, 1, `${a.step}/${a.type} completed before the kill on its first attempt`);
      assert.equal(a.identity, ctx.first.identity, `${a.step}/${a.type} ran on the first worker`);
    }
    const stepsDoneBefore = new Set(doneBefore.map((a) => a.step));
    stepsDoneBefore.delete(point.step);
    const again = all.filter((a) => stepsDoneBefore.has(a.step) && !doneBefore.includes(a));
    assert.deepEqual(again.map((a) => `${a.step}/${a.type}`), [], 'no activity of a completed step ran after the kill');
    for (const a of all.filter((x) => !doneBefore.includes(x))) assert.equal(a.identity, second.identity, `${a.step}/${a.type} ran on the new worker`);
    assert.ok(all.every((a) => a.outcome === 'completed'), 'no activity failed or timed out for good');
    if (point.crashAfter) {
      // The crash really was between the steps: the next step's first workflow task completed on the new worker.
      const scheduled = parent.events.find((e) => e.kind === 'startChildWorkflowExecutionInitiated')!;
      const wft = parent.workflowTasks.filter((w) => w.startedAt <= scheduled.time).at(-1)!;
      assert.equal(wft.identity, second.identity, 'the workflow task that started live-migration ran on the new worker');
    }

    // The sandbox: one bring-up, one migration, the same objects.
    const c = ctx.c();
    assert.deepEqual(await sandboxIdentity(data), { ...ctx.before!.sandbox, readyLines: 1 }, 'the sandbox brought up once and reused');
    const ms = await migrations(c);
    assert.deepEqual(ms.map((m) => `${m.namespace}/${m.name} ${m.phase}`), [`${GREEN}/${workflowId}-live-migration-migration Succeeded`], 'exactly one migration, named after the run');
    const now = await objectIdentities(c, [GREEN, 'blue']);
    const changed = [...ctx.before!.objects].filter(([key, id]) => now.get(key) !== id).map(([key, id]) => `${key}: ${id} → ${now.get(key) ?? 'gone'}`);
    assert.deepEqual(changed, [], `objects created before the kill (${ctx.before!.objects.size}) are the same objects`);
    assert.deepEqual(await launcherCounts(c, GREEN), { 'vm-a': 1, 'vm-b': 2 }, 'one launcher per VM, plus the one migration target');
    assert.deepEqual(await launcherCounts(c, 'blue'), { 'vm-a': 1 });
    assert.notEqual(result.migration?.targetNode, result.migration?.sourceNode);
  } finally {
    if (cleanups.includes(cleanup)) cleanups.splice(cleanups.indexOf(cleanup), 1);
    await cleanup();
  }
}
