import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NAMESPACE_ISOLATION } from '../../src/scenarios/namespace-isolation.ts';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { DemoActivities } from '../../src/model/activities.ts';
import type { DemoResult } from '../../src/model/result.ts';
import { progressQuery } from '../../src/workflows/queries.ts';
import { runDemoWithFakes } from '../helpers/demo-harness.ts';
import { useTestServer } from '../helpers/temporal-env.ts';

/** A run without `scenarios` (every test input here) is the first scenario's. */
const STEP_IDS = NAMESPACE_ISOLATION.steps.map((s) => s.id);
const CHECK_IDS = NAMESPACE_ISOLATION.steps.flatMap((s) => ('checks' in s ? s.checks.map((c) => c.id) : []));


function failedResult(outcome: DemoResult | Error): DemoResult {
  assert.ok(outcome instanceof WorkflowFailedError, `expected the workflow to fail, got ${JSON.stringify(outcome).slice(0, 200)}`);
  const cause = outcome.cause;
  assert.ok(cause instanceof ApplicationFailure);
  assert.equal(cause.type, 'StepFailed');
  return cause.details?.[0] as DemoResult;
}

describe('DemoWorkflow with fake activities on a real dev server', { timeout: 240_000 }, () => {
  const server = useTestServer();

  it('runs every step in the table’s order and passes all nine checks', async () => {
    const calls: (keyof DemoActivities)[] = [];
    const { outcome, workflowId } = await runDemoWithFakes(server.env, { behaviour: { calls } });
    assert.ok(!(outcome instanceof Error), String(outcome));
    assert.equal(outcome.status, 'passed');
    assert.equal(outcome.workflowId, workflowId);
    assert.deepEqual(outcome.steps.map((s) => s.id), STEP_IDS);
    assert.ok(outcome.steps.every((s) => s.state === 'succeeded' && s.attempts === 1), JSON.stringify(outcome.steps));
    const starts = outcome.steps.map((s) => Date.parse(s.startedAt!));
    assert.deepEqual([...starts].sort((a, b) => a - b), starts, 'steps started in order');
    assert.deepEqual(outcome.checks.map((c) => c.id), CHECK_IDS);
    assert.equal(CHECK_IDS.length, 9);
    assert.ok(outcome.checks.every((c) => c.passed));
    assert.equal(calls[0], 'preflight');
    assert.equal(calls[1], 'ensureCluster');
    assert.deepEqual(calls.slice(-2), ['writeReport', 'releaseCluster'], 'the report, then the run lets go of its cluster');
    assert.deepEqual(calls.filter((c) => c === 'migrateVmi'), ['migrateVmi']);
    assert.deepEqual({ ...outcome.migration, startedAt: typeof outcome.migration?.startedAt, endedAt: typeof outcome.migration?.endedAt }, {
      vmi: 'green/vm-b', sourceNode: 'ovn-worker', targetNode: 'ovn-worker2', ipBefore: '203.203.0.6', ipAfter: '203.203.0.6',
      startedAt: 'string', endedAt: 'string',
      survived: true, downtimeMs: 120, resolutionMs: 10, retransmits: 212, throughputBeforeGbps: 2.8, throughputAfterGbps: 2.7,
      captures: ['/tmp/fake/iperf3.json'],
    });
  });

  it('returns the result contract: exactly these keys, a check with evidence, the child workflow under an explicit id', async () => {
    const { outcome, workflowId } = await runDemoWithFakes(server.env);
    assert.ok(!(outcome instanceof Error));
    assert.deepEqual(Object.keys(outcome).sort(), ['checks', 'migration', 'runId', 'status', 'steps', 'workflowId']);
    assert.deepEqual(Object.keys(outcome.steps[0]!).sort(), ['attempts', 'endedAt', 'id', 'outcome', 'startedAt', 'state', 'title']);
    const eastWest = outcome.checks.find((c) => c.id === 'east-west')!;
    assert.deepEqual(Object.keys(eastWest).sort(), ['description', 'evidence', 'expected', 'group', 'id', 'observed', 'passed', 'probes']);
    assert.equal(eastWest.group, 'check-east-west');
    assert.equal(eastWest.expected, 'green/vm-a → green/webserver http:9000/hostname: reachable, answering "webserver" (same network UDN namespace-scoped; no NetworkPolicy selects green/webserver)');
    assert.deepEqual(eastWest.evidence, ['path: green/vm-a on ovn-worker2 → green/webserver on ovn-worker: across nodes (GENEVE tunnel between them)\nwebserver']);
    assert.match(eastWest.observed, /; ovn-worker2 → ovn-worker, across nodes$/);
    const config = outcome.checks.find((c) => c.id === 'vm-network-config')!;
    assert.equal(config.observed, 'eth0 holds 203.203.0.5/16; default via 203.203.0.1 dev eth0; mtu 1400');
    const child = await server.env.client.workflow.getHandle(`${workflowId}/live-migration`).describe();
    assert.equal(child.type, 'LiveMigrationWorkflow');
  });

  it('retries an activity that fails twice, and the run passes with the attempts recorded', async () => {
    const calls: (keyof DemoActivities)[] = [];
    const { outcome } = await runDemoWithFakes(server.env, { behaviour: { calls, failFirst: { ensureCluster: 2 } } });
    assert.ok(!(outcome instanceof Error), String(outcome));
    assert.equal(outcome.status, 'passed');
    assert.equal(outcome.steps.find((s) => s.id === 'ensure-cluster')?.attempts, 3);
    assert.equal(calls.filter((c) => c === 'ensureCluster').length, 3);
  });

  it('fails fast on a non-retryable error, keeping what ran and naming the step', async () => {
    const calls: (keyof DemoActivities)[] = [];
    const { outcome } = await runDemoWithFakes(server.env, { behaviour: { calls, failHard: 'waitReady' } });
    const result = failedResult(outcome);
    assert.equal(calls.filter((c) => c === 'waitReady').length, 1, 'no retry of a non-retryable failure');
    assert.equal(result.status, 'failed');
    assert.deepEqual(result.failure, { step: 'wait-green-ready', type: 'InvalidInput', message: 'waitReady: the cluster refused the request' });
    const byId = new Map(result.steps.map((s) => [s.id, s]));
    assert.equal(byId.get('apply-green-workloads')?.state, 'succeeded');
    assert.equal(byId.get('wait-green-ready')?.state, 'failed');
    assert.equal(byId.get('wait-green-ready')?.attempts, 1);
    assert.equal(byId.get('discover-addresses')?.state, 'pending');
  });

  it('fails the step once retries are exhausted, with the attempt count', async () => {
    const { outcome } = await runDemoWithFakes(server.env, { behaviour: { failFirst: { applyManifests: 99 } } });
    const result = failedResult(outcome);
    const step = result.steps.find((s) => s.id === 'apply-green-network')!;
    assert.equal(step.state, 'failed');
    assert.equal(step.attempts, 4);
    assert.match(step.outcome, /transient failure on attempt 4/);
  });

  it('shows the running step through the progress query', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let seen: DemoResult | undefined;
    const { outcome } = await runDemoWithFakes(server.env, {
      behaviour: { onCall: (name) => (name === 'waitReady' ? held : undefined) },
      during: async (handle) => {
        for (let i = 0; i < 200 && !seen; i++) {
          const p = await handle.query(progressQuery);
          if (p.steps.some((s) => s.id === 'wait-green-ready' && s.state === 'running')) seen = p;
          else await new Promise((r) => setTimeout(r, 50));
        }
        release();
      },
    });
    assert.ok(seen, 'progress never showed wait-green-ready running');
    assert.equal(seen.status, 'running');
    assert.equal(seen.steps.find((s) => s.id === 'apply-green-workloads')?.state, 'succeeded');
    assert.equal(seen.steps.find((s) => s.id === 'discover-addresses')?.state, 'pending');
    assert.ok(!(outcome instanceof Error));
  });

  it('completes with status failed when a check fails, and still runs every step', async () => {
    const { outcome } = await runDemoWithFakes(server.env, { behaviour: { failingProbe: (p) => p.expect === 'deny' && p.protocol === 'icmp' } });
    assert.ok(!(outcome instanceof Error), String(outcome));
    assert.equal(outcome.status, 'failed');
    const failed = outcome.checks.filter((c) => !c.passed).map((c) => c.id);
    assert.deepEqual(failed, ['isolation-blue-to-green', 'isolation-green-to-blue']);
    assert.ok(outcome.steps.every((s) => s.state === 'succeeded'));
  });

  it('skips checks whose activities have not landed, goes on with the rest, and cannot pass', async () => {
    const calls: (keyof DemoActivities)[] = [];
    const { outcome } = await runDemoWithFakes(server.env, { behaviour: { calls, notImplemented: ['runProbes', 'startTraffic'] } });
    assert.ok(!(outcome instanceof Error), String(outcome));
    assert.equal(outcome.status, 'failed');
    assert.equal(outcome.failure?.type, 'NotImplemented');
    assert.equal(outcome.failure?.step, 'check-east-west');
    const skipped = outcome.steps.filter((s) => s.state === 'skipped').map((s) => s.id);
    assert.deepEqual(skipped, ['check-east-west', 'check-egress', 'check-isolation', 'check-netpol-baseline', 'check-netpol-blocks', 'check-netpol-allows']);
    assert.ok(calls.includes('migrateVmi') && !calls.includes('collectTraffic'), 'the migration ran unmeasured');
    assert.deepEqual(outcome.checks.map((c) => [c.id, c.passed]), [['vm-network-config', true], ['live-migration', false]]);
    assert.equal(outcome.migration?.survived, null);
  });

  it('vm-network-config fails on an MTU other than the one OVN-Kubernetes sets, and the run with it', async () => {
    const { outcome } = await runDemoWithFakes(server.env, { behaviour: { guestMtu: 1500 } });
    assert.ok(!(outcome instanceof Error), String(outcome));
    assert.equal(outcome.status, 'failed');
    assert.deepEqual(outcome.checks.filter((c) => !c.passed).map((c) => [c.id, c.observed]), [['vm-network-config', 'eth0 holds 203.203.0.5/16; default via 203.203.0.1 dev eth0; mtu 1500']]);
  });

  it('never skips a prerequisite: a cluster step that has not landed stops the run', async () => {
    const { outcome } = await runDemoWithFakes(server.env, { behaviour: { notImplemented: ['ensureCluster'] } });
    const result = failedResult(outcome);
    assert.equal(result.failure?.step, 'ensure-cluster');
    assert.equal(result.steps.find((s) => s.id === 'apply-green-network')?.state, 'pending');
  });
});
