import { ApplicationFailure, defineQuery, executeChild, setCurrentDetails, setHandler, workflowInfo } from '@temporalio/workflow';
import type { TenantNetwork } from '../config/schema.ts';
import type { ClusterRef } from '../model/cluster.ts';
import type { IsolationSummary, PhaseTimes, TenantOutcome, TenantsResult } from '../model/tenants.ts';
import { activitiesFor } from './activity-options.ts';
import { ensureClusterRequest, preflightRequest } from './demo-input.ts';
import { mapBounded } from './bounded.ts';
import { ClusterHold } from './cluster-lease.ts';
import { rootFailure } from './step-tracker.ts';
import { TenantIsolationWorkflow, type SourceTally, type TenantAddress } from './tenant-isolation-workflow.ts';
import { TenantWorkflow } from './tenant-workflow.ts';
import type { TenantsInput } from './tenants-input.ts';

/** The run so far, for `udn-demo tenants` and the benchmark. Clients import this. */
export const tenantsProgressQuery = defineQuery<TenantsResult>('tenantsProgress');

/**
 * The isolation scenario at scale: N tenants, each rolled out by a child workflow of its own (at
 * the same time), then every ordered pair of ready tenants probed — tenant A's vm-a pings tenant
 * B's vm-b and must not reach it — with `probeConcurrency` tenants probing at once, each in a
 * child workflow of its own. The parent's history grows by a handful of events per tenant, and
 * by one address per pair (the probing tenants' inputs).
 */
export async function TenantsWorkflow(input: TenantsInput): Promise<TenantsResult> {
  const { workflowId, runId } = workflowInfo();
  const result: TenantsResult = {
    workflowId,
    runId,
    status: 'running',
    phase: 'cluster',
    tenants: input.tenants.map((t) => ({ namespace: t.namespace, subnet: t.subnet, state: 'pending', addresses: [], startedAt: null, endedAt: null })),
    isolation: { pairs: 0, settled: 0, passed: 0, failed: 0, inconclusive: 0, exceptions: [], omitted: 0, errors: [], concurrency: input.probeConcurrency },
    phases: { cluster: times(), rollout: times(), isolation: times() },
  };
  const publish = () => setCurrentDetails(details(result));
  setHandler(tenantsProgressQuery, () => result);

  const hold = new ClusterHold(input);
  const cluster = await phase(result, 'cluster', publish, () => ensureCluster(input, hold));
  try {
    await rollOutAndProbe(input, cluster, result, publish, workflowId);
  } finally {
    await hold.release();
  }
  return result;
}

async function rollOutAndProbe(input: TenantsInput, cluster: ClusterRef, result: TenantsResult, publish: () => void, workflowId: string): Promise<void> {
  await phase(result, 'rollout', publish, () =>
    Promise.all(
      input.tenants.map(async (tenant, i) => {
        result.tenants[i] = await rollOut(input, cluster, tenant, workflowId);
        publish();
      }),
    ),
  );
  await phase(result, 'isolation', publish, () => checkIsolation(input, cluster, result, publish, workflowId));
  const allReady = result.tenants.every((t) => t.state === 'ready');
  const iso = result.isolation;
  result.status = allReady && iso.passed === iso.pairs && iso.errors.length === 0 ? 'passed' : 'failed';
  result.phase = 'done';
  publish();
}

function times(): PhaseTimes {
  return { startedAt: null, endedAt: null };
}

async function phase<T>(result: TenantsResult, name: 'cluster' | 'rollout' | 'isolation', publish: () => void, body: () => Promise<T>): Promise<T> {
  result.phase = name;
  result.phases[name].startedAt = new Date().toISOString();
  publish();
  try {
    return await body();
  } finally {
    result.phases[name].endedAt = new Date().toISOString();
  }
}

async function ensureCluster(input: TenantsInput, hold: ClusterHold): Promise<ClusterRef> {
  const { provider, clusterName } = input;
  try {
    await activitiesFor(input, 'preflight', `tools for ${provider}`).preflight(preflightRequest(input));
    const { value } = await activitiesFor(input, 'ensure-cluster', `${provider} cluster ${clusterName}`).ensureCluster(ensureClusterRequest(input));
    await hold.take(value, 'ensure-cluster');
    return value;
  } catch (err) {
    const failure = rootFailure(err);
    throw ApplicationFailure.create({ type: failure.type, message: `no cluster: ${failure.message}`, nonRetryable: true });
  }
}

/** A tenant whose rollout fails for good is recorded as failed; the others go on. */
async function rollOut(input: TenantsInput, cluster: ClusterRef, tenant: TenantNetwork, parentId: string): Promise<TenantOutcome> {
  const startedAt = new Date().toISOString();
  try {
    return await executeChild(TenantWorkflow, {
      workflowId: `${parentId}/tenant/${tenant.namespace}`,
      args: [{ cluster, tenant, scenario: input.scenario, timeouts: input.timeouts, retry: input.retry }],
    });
  } catch (err) {
    const failure = rootFailure(err);
    return { namespace: tenant.namespace, subnet: tenant.subnet, state: 'failed', failure: failure.message, addresses: [], startedAt, endedAt: new Date().toISOString() };
  }
}

async function checkIsolation(input: TenantsInput, cluster: ClusterRef, result: TenantsResult, publish: () => void, parentId: string): Promise<void> {
  const ready = result.tenants.filter((t) => t.state === 'ready');
  const iso = result.isolation;
  iso.pairs = ready.length * (ready.length - 1);
  const address = (t: TenantOutcome, vm: 'vm-a' | 'vm-b'): TenantAddress => ({ namespace: t.namespace, ip: t.addresses.find((a) => a.name === vm)?.udnIP ?? '' });
  await mapBounded(ready, input.probeConcurrency, async (from) => {
    const to = ready.filter((t) => t !== from).map((t) => address(t, 'vm-b'));
    if (to.length === 0) return;
    try {
      tally(
        iso,
        await executeChild(TenantIsolationWorkflow, {
          workflowId: `${parentId}/isolation/${from.namespace}`,
          args: [{ cluster, scenario: input.scenario, from: address(from, 'vm-a'), to, timeouts: input.timeouts, retry: input.retry }],
        }),
      );
    } catch (err) {
      iso.errors.push({ from: from.namespace, message: rootFailure(err).message });
      iso.settled += to.length;
      iso.inconclusive += to.length;
    }
    publish();
  });
}

/** The parent lists at most this many exceptions; the children's own histories hold the rest. */
const MAX_LISTED = 50;

function tally(iso: IsolationSummary, source: SourceTally): void {
  iso.settled += source.pairs;
  iso.passed += source.passed;
  iso.failed += source.failed;
  iso.inconclusive += source.inconclusive;
  iso.sample ??= source.sample;
  const room = Math.max(0, MAX_LISTED - iso.exceptions.length);
  iso.exceptions.push(...source.exceptions.slice(0, room));
  iso.omitted += source.omitted + Math.max(0, source.exceptions.length - room);
}

/** The Web UI's current details: the phase, each count, and the tenants that failed. */
function details(r: TenantsResult): string {
  const ready = r.tenants.filter((t) => t.state === 'ready').length;
  const failed = r.tenants.filter((t) => t.state === 'failed');
  const i = r.isolation;
  return [
    `Tenants run ${r.status}, phase ${r.phase}`,
    `tenants ready ${ready}/${r.tenants.length}${failed.length ? `; failed: ${failed.map((t) => `${t.namespace} (${t.failure})`).join('; ')}` : ''}`,
    `isolation pairs settled ${i.settled}/${i.pairs}: ${i.passed} isolated, ${i.failed} reached, ${i.inconclusive} inconclusive`,
    ...i.errors.map((e) => `probes from ${e.from} failed: ${e.message}`),
  ].join('\n');
}
