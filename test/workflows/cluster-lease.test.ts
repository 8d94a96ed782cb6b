import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { DemoActivities } from '../../src/model/activities.ts';
import type { DemoResult } from '../../src/model/result.ts';
import type { TenantsResult } from '../../src/model/tenants.ts';
import { progressQuery } from '../../src/workflows/queries.ts';
import { runDemoWithFakes, tenantsInput, testInput } from '../helpers/demo-harness.ts';
import { useTestServer } from '../helpers/temporal-env.ts';

const operated = testInput({ operator: { decisionTimeoutSeconds: 600 } });

/** One run per cluster, as the workflows keep it: claimed before the first change, let go at the end, whatever the end. */
describe("a run's hold on its cluster", { timeout: 120_000 }, () => {
  const server = useTestServer();

  it('claims before its first apply and lets go after its report', async () => {
    const calls: (keyof DemoActivities)[] = [];
    const { outcome } = await runDemoWithFakes(server.env, { input: operated, behaviour: { calls } });
    assert.ok(!(outcome instanceof Error), String(outcome));
    assert.equal(calls.filter((c) => c === 'claimCluster').length, 1, 'claimed once, however many applies');
    assert.equal(calls.indexOf('claimCluster'), calls.indexOf('applyManifests') - 1, 'claimed right before the first apply');
    assert.deepEqual(calls.slice(-2), ['writeReport', 'releaseCluster']);
  });

  it('a cluster held by another run fails the run at its first apply, at once: no operator can fix it, nothing is applied, nothing let go', async () => {
    const calls: (keyof DemoActivities)[] = [];
    const { outcome } = await runDemoWithFakes(server.env, { input: operated, behaviour: { calls, clusterBusy: true } });
    assert.ok(outcome instanceof WorkflowFailedError, String(outcome));
    const cause = outcome.cause as ApplicationFailure;
    assert.match(cause.message, /step apply-green-network failed: .*in use by run other-run/);
    const result = cause.details?.[0] as DemoResult;
    assert.equal(result.awaiting, undefined, 'it did not wait for an operator');
    assert.ok(!calls.includes('applyManifests'));
    assert.ok(!calls.includes('releaseCluster'), "another run's hold is not ours to let go");
  });

  it('a cancelled run cleans up, then lets go', async () => {
    const calls: (keyof DemoActivities)[] = [];
    const { outcome } = await runDemoWithFakes(server.env, {
      input: operated,
      behaviour: { calls, stuck: { waitReady: 99 } },
      during: async (handle) => {
        for (let i = 0; i < 300 && (await handle.query(progressQuery)).awaiting === undefined; i++) await sleep(50);
        await handle.cancel();
        await handle.result().catch(() => undefined);
      },
    });
    assert.ok(outcome instanceof WorkflowFailedError, String(outcome));
    assert.deepEqual(calls.slice(-2), ['cleanupRun', 'releaseCluster']);
  });

  it('udn-demo tenants claims once, after its cluster, and lets go at the end', async () => {
    const calls: (keyof DemoActivities)[] = [];
    const { outcome } = await runDemoWithFakes(server.env, { workflow: { type: 'TenantsWorkflow', input: tenantsInput(2) }, behaviour: { calls } });
    assert.equal((outcome as unknown as TenantsResult).status, 'passed', String(outcome));
    assert.deepEqual(calls.slice(0, 3), ['preflight', 'ensureCluster', 'claimCluster']);
    assert.equal(calls.at(-1), 'releaseCluster');
    assert.equal(calls.filter((c) => c === 'releaseCluster').length, 1);
  });
});
