import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sourceName } from '../../src/model/probe.ts';
import type { DemoActivities } from '../../src/model/activities.ts';
import type { TenantsResult } from '../../src/model/tenants.ts';
import type { TenantsInput } from '../../src/workflows/tenants-input.ts';
import { runDemoWithFakes, tenantsInput } from '../helpers/demo-harness.ts';
import type { FakeBehaviour } from '../helpers/fake-activities.ts';
import { useTestServer } from '../helpers/temporal-env.ts';

describe('TenantsWorkflow (fake activities, real server)', { timeout: 120_000 }, () => {
  const server = useTestServer();

  const run = async (input: TenantsInput, behaviour: FakeBehaviour = {}) => {
    const { workflowId, outcome } = await runDemoWithFakes(server.env, { workflow: { type: 'TenantsWorkflow', input }, behaviour });
    assert.ok(!(outcome instanceof Error), String(outcome));
    return { workflowId, result: outcome as unknown as TenantsResult };
  };

  it('rolls every tenant out in a child workflow of its own and probes every ordered pair once, each source in one activity', async () => {
    const calls: (keyof DemoActivities)[] = [];
    const { workflowId, result } = await run(tenantsInput(4), { calls });
    assert.equal(result.status, 'passed');
    assert.deepEqual(result.tenants.map((t) => [t.namespace, t.state]), [1, 2, 3, 4].map((i) => [`tenant-0${i}`, 'ready']));
    assert.deepEqual(result.tenants[2]!.addresses.map((a) => `${a.name} ${a.udnIP}`), ['webserver 10.3.0.4', 'vm-a 10.3.0.5', 'vm-b 10.3.0.6']);
    assert.deepEqual({ ...result.isolation, sample: undefined }, { pairs: 12, settled: 12, passed: 12, failed: 0, inconclusive: 0, exceptions: [], omitted: 0, errors: [], concurrency: 16, sample: undefined });
    // 4 east/west probes (one per tenant) and 4 isolation batches (one per probing tenant).
    assert.equal(calls.filter((c) => c === 'runProbes').length, 8);
    assert.equal(calls.filter((c) => c === 'ensureCluster').length, 1);
    const parent = await server.env.client.workflow.getHandle(workflowId).fetchHistory();
    const children = (parent.events ?? []).flatMap((e) => e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId ?? []);
    const ids = (kind: string) => [1, 2, 3, 4].map((i) => `${workflowId}/${kind}/tenant-0${i}`);
    assert.deepEqual(children, [...ids('tenant'), ...ids('isolation')]);
    const parentActivities = (parent.events ?? []).flatMap((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? []);
    assert.deepEqual(parentActivities, ['preflight', 'ensureCluster', 'claimCluster', 'releaseCluster'], 'the parent only checks and holds the cluster; children do the rest');
    const source = await server.env.client.workflow.getHandle(`${workflowId}/isolation/tenant-02`).fetchHistory();
    const scheduled = (source.events ?? []).flatMap((e) => e.activityTaskScheduledEventAttributes ?? []);
    assert.deepEqual(scheduled.map((a) => a.activityType?.name), ['runProbes']);
    for (const ev of result.tenants) assert.equal(ev.eastWest?.verdict, 'pass');
    for (const p of [result.isolation.sample!.probe]) assert.deepEqual([p.protocol, p.expect, sourceName(p.from).split('/')[1], 'workload' in p.to && p.to.workload.name], ['icmp', 'deny', 'vm-a', 'vm-b']);
  });

  it('a pair that reaches the other tenant fails the run and is listed with its evidence; the others still count', async () => {
    const { result } = await run(tenantsInput(3), { failingProbe: (p) => sourceName(p.from).startsWith('tenant-02/') && 'workload' in p.to && p.to.workload.namespace === 'tenant-03' });
    assert.equal(result.status, 'failed');
    assert.deepEqual([result.isolation.pairs, result.isolation.passed, result.isolation.failed], [6, 5, 1]);
    const [bad] = result.isolation.exceptions;
    assert.deepEqual([bad && sourceName(bad.probe.from).split('/')[0], bad && 'workload' in bad.probe.to ? bad.probe.to.workload.namespace : '', bad?.verdict], ['tenant-02', 'tenant-03', 'fail']);
    assert.ok(bad?.evidence, 'the failing pair keeps its evidence');
  });

  it('a tenant whose own east/west check fails is left out of the pairs, and the run fails', async () => {
    const { result } = await run(tenantsInput(3), { failingProbe: (p) => p.expect === 'allow' && sourceName(p.from).startsWith('tenant-01/') });
    assert.equal(result.status, 'failed');
    assert.deepEqual(result.tenants.map((t) => t.state), ['failed', 'ready', 'ready']);
    assert.match(result.tenants[0]!.failure!, /east\/west/);
    assert.equal(result.isolation.pairs, 2, 'only tenant-02 ↔ tenant-03');
  });

  it('a tenant whose rollout fails for good is recorded with the reason, and the run goes on without it', async () => {
    const { result } = await run(tenantsInput(2), { failHard: 'waitReady' });
    assert.equal(result.status, 'failed');
    assert.deepEqual(result.tenants.map((t) => t.state), ['failed', 'failed']);
    assert.match(result.tenants[0]!.failure!, /waitReady: the cluster refused the request/);
    assert.equal(result.isolation.pairs, 0);
    assert.equal(result.phase, 'done');
  });
});
