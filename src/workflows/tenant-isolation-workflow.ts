import type { ScenarioConfig } from '../config/schema.ts';
import type { ClusterRef } from '../model/cluster.ts';
import type { PairTally } from '../model/tenants.ts';
import type { WorkloadAddress } from '../model/workload.ts';
import { activitiesFor } from './activity-options.ts';
import type { DemoInput } from './demo-input.ts';
import { demoWorkloads, pingProbe } from './demo-workloads.ts';
import { tenantScenario } from './tenant-workflow.ts';

/** A tenant's address on its own UDN, as compact as the parent can pass it on. */
export interface TenantAddress {
  namespace: string;
  ip: string;
}

export interface TenantIsolationInput extends Pick<DemoInput, 'timeouts' | 'retry'> {
  cluster: ClusterRef;
  scenario: ScenarioConfig;
  /** The probing tenant, with its vm-a's address. */
  from: TenantAddress;
  /** Every other ready tenant, with its vm-b's address. */
  to: TenantAddress[];
}

/** One probing tenant's pairs. */
export interface SourceTally extends PairTally {
  from: string;
}

const MAX_EXCEPTIONS = 10;

/**
 * One tenant's vm-a pings every other tenant's vm-b and must not reach it. A child workflow per
 * probing tenant keeps the probes, their observations and their evidence (N − 1 of each) in its
 * own history; the parent sees the tally.
 */
export async function TenantIsolationWorkflow(input: TenantIsolationInput): Promise<SourceTally> {
  const vm = (namespace: string, which: 'greenVmA' | 'greenVmB') => demoWorkloads(tenantScenario(input.scenario, { namespace, subnet: '' }))[which];
  const entry = (t: TenantAddress, which: 'greenVmA' | 'greenVmB'): WorkloadAddress => ({ ...vm(t.namespace, which), node: '', udnIP: t.ip });
  const probes = input.to.map((t) => pingProbe(vm(input.from.namespace, 'greenVmA'), vm(t.namespace, 'greenVmB'), 'deny'));
  const { value: observations } = await activitiesFor(input, 'check-isolation', `${input.from.namespace} → ${input.to.length} tenants`).runProbes({
    cluster: input.cluster,
    inventory: [entry(input.from, 'greenVmA'), ...input.to.map((t) => entry(t, 'greenVmB'))],
    probes,
    guest: input.scenario.guest,
    timing: input.scenario.probes,
    evidence: 'failures',
  });
  const tally: SourceTally = { from: input.from.namespace, pairs: probes.length, passed: 0, failed: 0, inconclusive: 0, exceptions: [], omitted: 0 };
  for (const o of observations) {
    if (o.verdict === 'pass') {
      tally.passed++;
      tally.sample ??= o;
      continue;
    }
    tally[o.verdict === 'fail' ? 'failed' : 'inconclusive']++;
    if (tally.exceptions.length < MAX_EXCEPTIONS) tally.exceptions.push(o);
    else tally.omitted++;
  }
  return tally;
}
