import type { ScenarioConfig, TenantNetwork } from '../config/schema.ts';
import type { ClusterRef } from '../model/cluster.ts';
import type { TenantOutcome } from '../model/tenants.ts';
import { expectedProbes, workloadRef } from '../scenarios/expected-probes.ts';
import { activitiesFor, stepTimeoutSeconds } from './activity-options.ts';
import type { DemoInput } from './demo-input.ts';
import { tenantScenario, tenantStep, tenantTable } from './tenant-scenario.ts';

export interface TenantInput extends Pick<DemoInput, 'timeouts' | 'retry'> {
  cluster: ClusterRef;
  tenant: TenantNetwork;
  scenario: ScenarioConfig;
}

/**
 * One tenant of TenantsWorkflow, as a child workflow so the parent's history grows by a few
 * events per tenant, whatever the tenant does: its namespace, primary UDN, webserver and VMs,
 * their readiness and addresses, and its own east/west check. Activities reuse the options
 * (timeouts, retries) of the scenario step each one mirrors.
 */
export async function TenantWorkflow(input: TenantInput): Promise<TenantOutcome> {
  const startedAt = new Date().toISOString();
  const scenario = tenantScenario(input.scenario, input.tenant);
  const table = tenantTable(input.scenario, input.tenant);
  const [apply, wait, discover, eastWest] = [tenantStep(table, 'apply'), tenantStep(table, 'wait'), tenantStep(table, 'discover'), tenantStep(table, 'eastWest')];
  if (wait.run.kind !== 'wait') throw new Error(`step ${wait.id} does not wait`);
  const workloads = wait.run.workloads.map((k) => workloadRef(table, k));
  const udns = wait.run.networks.map((name) => ({ kind: 'UserDefinedNetwork' as const, namespace: input.tenant.namespace, name }));
  const ns = input.tenant.namespace;
  const unwrap = async <T>(call: Promise<{ value: T }>): Promise<T> => (await call).value;

  await unwrap(activitiesFor(input, apply.id, `apply tenant ${ns}`).applyManifests({ cluster: input.cluster, bundle: 'tenant', scenario }));
  const waitFor = [...udns, ...workloads.map((w) => ({ kind: w.kind, namespace: w.namespace, name: w.name }))];
  await unwrap(activitiesFor(input, wait.id, `wait for tenant ${ns}`).waitReady({ cluster: input.cluster, targets: waitFor, timeoutSeconds: stepTimeoutSeconds(input, wait.id) }));
  const addresses = await unwrap(activitiesFor(input, discover.id, `addresses in tenant ${ns}`).discoverAddresses({ cluster: input.cluster, workloads }));
  const [observed] = await unwrap(
    activitiesFor(input, eastWest.id, `east/west in tenant ${ns}`).runProbes({
      cluster: input.cluster,
      inventory: addresses,
      probes: expectedProbes(table, eastWest, eastWest.checks![0]!),
      guest: scenario.guest,
      timing: scenario.probes,
    }),
  );
  const passed = observed?.verdict === 'pass';
  return {
    namespace: ns,
    subnet: input.tenant.subnet,
    state: passed ? 'ready' : 'failed',
    ...(passed ? {} : { failure: `east/west: vm-a did not reach the webserver (${observed?.verdict ?? 'no observation'}: ${observed?.detail ?? ''})` }),
    addresses,
    ...(observed ? { eastWest: observed } : {}),
    startedAt,
    endedAt: new Date().toISOString(),
  };
}
