import type { ScenarioConfig } from '../config/schema.ts';
import type { ClusterRef } from '../model/cluster.ts';
import type { Probe } from '../model/probe.ts';
import type { PairTally } from '../model/tenants.ts';
import type { WorkloadAddress } from '../model/workload.ts';
import { refOf } from '../scenarios/expected-probes.ts';
import { mayReach, workloadKeyOf } from '../scenarios/network-model.ts';
import type { WorkloadDef } from '../scenarios/types.ts';
import { activitiesFor } from './activity-options.ts';
import type { DemoInput } from './demo-input.ts';
import { tenantStep, tenantTable } from './tenant-scenario.ts';

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
 * One tenant's vm-a pings every other tenant's vm-b, as the network model expects of two
 * tenants (each on a primary UDN of its own: no reply). A child workflow per probing tenant
 * keeps the probes, their observations and their evidence (N − 1 of each) in its own history;
 * the parent sees the tally.
 */
export async function TenantIsolationWorkflow(input: TenantIsolationInput): Promise<SourceTally> {
  const tenant = (namespace: string) => {
    const table = tenantTable(input.scenario, { namespace, subnet: input.scenario.green.subnet });
    const vm = (name: string) => table.workloads.find((w) => w.namespace === namespace && w.name === name)! as WorkloadDef;
    return { table, network: table.networks[0], vmA: vm('vm-a'), vmB: vm('vm-b') };
  };
  const source = tenant(input.from.namespace);
  const probes: Probe[] = input.to.map((t) => {
    const target = tenant(t.namespace);
    const state = { networks: [source.network, target.network], workloads: [source.vmA, target.vmB], policies: [], services: [], serving: [], outside: [] };
    const e = mayReach(state, workloadKeyOf(source.vmA), workloadKeyOf(target.vmB), 'icmp');
    return { from: refOf(source.vmA), to: { workload: refOf(target.vmB) }, protocol: 'icmp', expect: e.allowed ? 'allow' : 'deny', why: e.reason };
  });
  const entry = (w: WorkloadDef, ip: string): WorkloadAddress => ({ ...refOf(w), node: '', udnIP: ip });
  const { value: observations } = await activitiesFor(input, tenantStep(source.table, 'isolation').id, `${input.from.namespace} → ${input.to.length} tenants`).runProbes({
    cluster: input.cluster,
    inventory: [entry(source.vmA, input.from.ip), ...input.to.map((t) => entry(tenant(t.namespace).vmB, t.ip))],
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
