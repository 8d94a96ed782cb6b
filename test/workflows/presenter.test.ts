import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { DemoActivities } from '../../src/model/activities.ts';
import type { DemoResult } from '../../src/model/result.ts';
import { NARRATIVE_ORDER } from '../../src/workflows/demo-workflow.ts';
import { decideUpdate } from '../../src/workflows/operator-messages.ts';
import { continueUpdate } from '../../src/workflows/presenter.ts';
import { progressQuery } from '../../src/workflows/queries.ts';
import { runDemoWithFakes, testInput } from '../helpers/demo-harness.ts';
import { useTestServer } from '../helpers/temporal-env.ts';

/** Polls progress until the run waits before `step`. */
async function waitingBefore(handle: WorkflowHandle, step: string): Promise<DemoResult> {
  for (let i = 0; i < 300; i++) {
    const p = await handle.query(progressQuery).catch(() => undefined);
    if (p?.presenter?.waitingBefore === step) return p;
    await sleep(50);
  }
  throw new Error(`the run never waited before ${step}`);
}

const rejected = (pattern: RegExp) => (err: unknown) => err instanceof WorkflowUpdateFailedError && pattern.test(String((err.cause as Error)?.message));

describe('presenter mode: the run waits for the presenter before each step', { timeout: 120_000 }, () => {
  const server = useTestServer();

  it('waits before every step, in the talk\'s order, until `continue`; nothing runs ahead; the run passes', async () => {
    const calls: (keyof DemoActivities)[] = [];
    const { outcome } = await runDemoWithFakes(server.env, {
      input: testInput({ presenter: true, ordering: 'fast', operator: { decisionTimeoutSeconds: 60 } }),
      behaviour: { calls },
      during: async (handle) => {
        const first = await waitingBefore(handle, 'preflight');
        assert.equal(calls.length, 0, 'nothing ran before the presenter said so');
        assert.ok(first.steps.every((s) => s.state === 'pending'));
        const details = (await handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata')).currentDetails;
        assert.match(details ?? '', /\*\*Waiting for the presenter\*\* before step preflight: `udn-demo next /);
        assert.match(details ?? '', /\n\n1\. · \*\*preflight\*\*\n2\. · \*\*ensure-cluster\*\*\n/, 'the steps as a markdown list, one per line in the Web UI');
        await assert.rejects(handle.executeUpdate(continueUpdate, { args: [{ step: 'ensure-cluster' }] }), rejected(/waits before step preflight, not ensure-cluster/));
        await assert.rejects(handle.executeUpdate(decideUpdate, { args: [{ action: 'retry' }] }), rejected(/not waiting for a decision/), 'operator decisions still answer for themselves');
        for (const step of NARRATIVE_ORDER) {
          await waitingBefore(handle, step);
          assert.deepEqual(await handle.executeUpdate(continueUpdate, { args: [{}] }), { step });
        }
      },
    });
    assert.ok(!(outcome instanceof Error), String(outcome));
    assert.equal(outcome.status, 'passed');
    assert.equal(outcome.presenter, null, 'not waiting at the end');
    const starts = outcome.steps.map((s) => Date.parse(s.startedAt!));
    assert.deepEqual([...starts].sort((a, b) => a - b), starts, 'the narrative order, even with ordering fast');
  });

  it('a run without --presenter never waits and has no presenter field', async () => {
    const { outcome } = await runDemoWithFakes(server.env, { input: testInput() });
    assert.ok(!(outcome instanceof Error), String(outcome));
    assert.equal('presenter' in outcome, false);
  });
});
