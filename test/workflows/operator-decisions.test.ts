import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { WorkflowFailedError, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import type { DemoActivities } from '../../src/model/activities.ts';
import type { StepId } from '../../src/scenarios/index.ts';
import type { DemoResult } from '../../src/model/result.ts';
import { MEMO_KEY, cleanupScopeSignal, decideUpdate, type RunMemo } from '../../src/workflows/operator-messages.ts';
import { progressQuery } from '../../src/workflows/queries.ts';
import { runDemoWithFakes, testInput } from '../helpers/demo-harness.ts';
import { useTestServer } from '../helpers/temporal-env.ts';

const operated = (decisionTimeoutSeconds = 120) => testInput({ operator: { decisionTimeoutSeconds } });

/** Polls progress until the run waits on `step` for the `n`-th time (n decisions recorded before it). */
async function waitingAt(handle: WorkflowHandle, step: StepId, decisionsBefore = 0): Promise<DemoResult> {
  for (let i = 0; i < 300; i++) {
    const p = await handle.query(progressQuery).catch(() => undefined);
    if (p?.awaiting?.step === step && (p.decisions?.length ?? 0) === decisionsBefore) return p;
    await sleep(50);
  }
  throw new Error(`the run never waited at ${step} (after ${decisionsBefore} decisions)`);
}

async function memoOf(handle: WorkflowHandle): Promise<RunMemo | undefined> {
  return (await handle.describe()).memo?.[MEMO_KEY] as RunMemo | undefined;
}

describe('a step that fails for good waits for an operator', { timeout: 240_000 }, () => {
  const server = useTestServer();

  it('retry runs the failed step again; it waits again while the step keeps failing, and the run passes once it succeeds', async () => {
    const calls: (keyof DemoActivities)[] = [];
    let seen: DemoResult | undefined;
    let memo: RunMemo | undefined;
    let details: string | undefined;
    const { outcome } = await runDemoWithFakes(server.env, {
      input: operated(),
      behaviour: { calls, stuck: { waitReady: 2 } },
      during: async (handle) => {
        seen = await waitingAt(handle, 'wait-green-ready');
        memo = await memoOf(handle);
        // What the Web UI shows as the workflow's current details.
        details = (await handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata')).currentDetails;
        await assert.rejects(handle.executeUpdate(decideUpdate, { args: [{ action: 'retry', step: 'live-migration' }] }), (err: unknown) => err instanceof WorkflowUpdateFailedError && /waits on step wait-green-ready, not live-migration/.test(String((err.cause as Error)?.message)));
        assert.deepEqual(await handle.executeUpdate(decideUpdate, { args: [{ action: 'retry' }] }), { step: 'wait-green-ready', action: 'retry' });
        await waitingAt(handle, 'wait-green-ready', 1);
        await handle.executeUpdate(decideUpdate, { args: [{ action: 'retry', step: 'wait-green-ready' }] });
      },
    });
    assert.ok(seen);
    assert.equal(seen.status, 'waiting');
    assert.match(seen.awaiting!.reason, /green\/vm-b not Ready/);
    assert.ok(Date.parse(seen.awaiting!.deadline) - Date.parse(seen.awaiting!.since) === 120_000);
    assert.equal(seen.steps.find((s) => s.id === 'wait-green-ready')?.state, 'failed', 'the failed step keeps its state while it waits');
    assert.deepEqual(memo, { status: 'waiting', step: 'wait-green-ready' });
    assert.match(details ?? '', /\*\*Waiting for an operator\*\* until .*: step wait-green-ready failed: .*not Ready/);
    assert.match(details ?? '', /udn-demo retry test-demo-.*udn-demo skip .*udn-demo cancel /);
    assert.ok(!(outcome instanceof Error), String(outcome));
    assert.equal(outcome.status, 'passed');
    assert.equal(outcome.awaiting, undefined);
    assert.equal(outcome.failure, undefined, 'a step that succeeded on retry is no failure');
    assert.deepEqual(outcome.decisions?.map((d) => [d.step, d.action]), [['wait-green-ready', 'retry'], ['wait-green-ready', 'retry']]);
    assert.equal(calls.filter((c) => c === 'waitReady').length, 3 + 1 + 1, 'three tries at green, one at blue, one for new-webserver');
    assert.equal(calls.filter((c) => c === 'applyManifests').length, 5, 'nothing before the failed step ran again');
  });

  it('retrying live-migration migrates again: a child of its own for the round, a new migration object, and the run passes', async () => {
    const migrations: string[] = [];
    const { outcome, workflowId } = await runDemoWithFakes(server.env, {
      input: operated(),
      behaviour: { migrations, stuck: { migrateVmi: 1 } },
      during: async (handle) => {
        await waitingAt(handle, 'live-migration');
        await handle.executeUpdate(decideUpdate, { args: [{ action: 'retry', step: 'live-migration' }] });
      },
    });
    assert.ok(!(outcome instanceof Error), String(outcome));
    assert.equal(outcome.status, 'passed');
    assert.equal(migrations.length, 2);
    assert.notEqual(migrations[0], migrations[1], 'the retry does not find the failed migration again');
    const status = async (id: string) => (await server.env.client.workflow.getHandle(id).describe()).status.name;
    assert.deepEqual([await status(`${workflowId}/live-migration`), await status(`${workflowId}/live-migration/round-2`)], ['FAILED', 'COMPLETED']);
  });

  it('skip records the step as skipped and goes on; the run cannot pass, and the rest still runs', async () => {
    const { outcome, workflowId } = await runDemoWithFakes(server.env, {
      input: operated(),
      behaviour: { stuck: { collectTraffic: 99 } },
      during: async (handle) => {
        await waitingAt(handle, 'live-migration');
        await handle.executeUpdate(decideUpdate, { args: [{ action: 'skip' }] });
        await assert.rejects(handle.executeUpdate(decideUpdate, { args: [{ action: 'skip' }] }), WorkflowUpdateFailedError, 'nothing waits any more');
      },
    });
    assert.ok(!(outcome instanceof Error), String(outcome));
    assert.equal(outcome.status, 'failed');
    const step = outcome.steps.find((s) => s.id === 'live-migration')!;
    assert.equal(step.state, 'skipped');
    assert.match(step.outcome, /^skipped by the operator after: .*collectTraffic: green\/vm-b not Ready/);
    assert.equal(outcome.failure?.step, 'live-migration');
    assert.ok(outcome.steps.filter((s) => s.id !== 'live-migration').every((s) => s.state === 'succeeded'));
    assert.equal(outcome.checks.length, 8, 'every check but the skipped one');
    assert.deepEqual(await memoOf(server.env.client.workflow.getHandle(workflowId)), { status: 'failed', step: 'live-migration', checks: '8/8' });
  });

  it('at the deadline nobody answered: the run fails with the reason, the decision recorded as the deadline', async () => {
    const { outcome, workflowId } = await runDemoWithFakes(server.env, { input: operated(1), behaviour: { stuck: { discoverAddresses: 99 } } });
    assert.ok(outcome instanceof WorkflowFailedError);
    const cause = outcome.cause as ApplicationFailure;
    assert.equal(cause.type, 'StepFailed');
    const result = cause.details?.[0] as DemoResult;
    assert.equal(result.failure?.step, 'wait-green-ready', 'the wait step discovers addresses too');
    assert.deepEqual(result.decisions?.map((d) => d.action), ['deadline']);
    assert.deepEqual(await memoOf(server.env.client.workflow.getHandle(workflowId)), { status: 'failed', step: 'wait-green-ready' });
  });

  it('invalid input never waits: no decision can fix it', async () => {
    const { outcome } = await runDemoWithFakes(server.env, { input: operated(), behaviour: { failHard: 'applyManifests' } });
    assert.ok(outcome instanceof WorkflowFailedError);
    assert.equal(((outcome.cause as ApplicationFailure).details?.[0] as DemoResult).decisions, undefined);
  });

  it('a decision while nothing waits is refused, and the run goes on', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const { outcome } = await runDemoWithFakes(server.env, {
      input: operated(),
      behaviour: { onCall: (name) => (name === 'waitReady' ? held : undefined) },
      during: async (handle) => {
        await sleep(300);
        await assert.rejects(handle.executeUpdate(decideUpdate, { args: [{ action: 'retry' }] }), (err: unknown) => err instanceof WorkflowUpdateFailedError && /not waiting for a decision/.test(String((err.cause as Error)?.message)));
        release();
      },
    });
    assert.ok(!(outcome instanceof Error));
    assert.equal(outcome.status, 'passed');
  });

  it('cancel while waiting: the cleanup removes the namespaces the run applied to, in a scope the cancellation cannot stop; the run ends CANCELLED', async () => {
    const calls: (keyof DemoActivities)[] = [];
    let final: DemoResult | undefined;
    let memo: RunMemo | undefined;
    const { outcome } = await runDemoWithFakes(server.env, {
      input: operated(),
      behaviour: { calls, stuck: { waitReady: 99 } },
      during: async (handle) => {
        await waitingAt(handle, 'wait-green-ready');
        await handle.cancel();
        await handle.result().catch(() => undefined);
        final = await handle.query(progressQuery);
        memo = await memoOf(handle);
      },
    });
    assert.ok(outcome instanceof WorkflowFailedError && outcome.cause instanceof CancelledFailure, String(outcome));
    assert.equal(calls.filter((c) => c === 'cleanupRun').length, 1);
    assert.equal(final?.status, 'cancelled');
    assert.deepEqual(final?.cleanup, { removed: ['namespace green'] });
    assert.equal(final?.awaiting, undefined);
    assert.deepEqual(memo, { status: 'cancelled', step: 'wait-green-ready', removed: ['namespace green'] });
  });

  it('cancel mid-step with --remove-cluster: the running step is cancelled, the cleanup removes the cluster', async () => {
    const calls: (keyof DemoActivities)[] = [];
    let final: DemoResult | undefined;
    const { outcome, workflowId } = await runDemoWithFakes(server.env, {
      input: operated(),
      behaviour: { calls, onCall: (name) => (name === 'runProbes' && !calls.includes('cleanupRun') ? sleep(60_000) : undefined) },
      during: async (handle) => {
        for (let i = 0; i < 300 && !calls.includes('runProbes'); i++) await sleep(50);
        await handle.signal(cleanupScopeSignal, { removeCluster: true });
        await handle.cancel();
        await handle.result().catch(() => undefined);
        final = await handle.query(progressQuery);
      },
    });
    assert.ok(outcome instanceof WorkflowFailedError && outcome.cause instanceof CancelledFailure, String(outcome));
    assert.equal(final?.steps.find((s) => s.id === 'check-east-west')?.outcome, 'cancelled');
    assert.deepEqual(final?.cleanup, { removed: ['sandbox cluster ovn'] });
    assert.deepEqual(await memoOf(server.env.client.workflow.getHandle(workflowId)), { status: 'cancelled', step: 'check-east-west', removed: ['sandbox cluster ovn'] });
  });
});
