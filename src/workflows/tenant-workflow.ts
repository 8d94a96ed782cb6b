import type { ScenarioConfig, TenantNetwork } from '../config/schema.ts';
import type { ClusterRef } from '../model/cluster.ts';
import type { TenantOutcome } from '../model/tenants.ts';
import { activitiesFor, stepTimeoutSeconds } from './activity-options.ts';
import type { DemoInput } from './demo-input.ts';
import { GREEN_UDN, demoWorkloads, httpProbe, readinessOf } from './demo-workloads.ts';

export interface TenantInput extends Pick<DemoInput, 'timeouts' | 'retry'> {
  cluster: ClusterRef;
  tenant: TenantNetwork;
  scenario: ScenarioConfig;
}

/** The scenario seen from one tenant: green's shape, in this tenant's namespace and subnet. */
export function tenantScenario(scenario: ScenarioConfig, tenant: TenantNetwork): ScenarioConfig {
  return { ...scenario, green: tenant };
}

/**
 * One tenant of TenantsWorkflow, as a child workflow so the parent's history grows by a few
 * events per tenant, whatever the tenant does: its namespace, primary UDN, webserver and VMs,
 * their readiness and addresses, and its own east/west check. Activities reuse the demo's step
 * options (timeouts, retries) of the step each one mirrors.
 */
export async function TenantWorkflow(input: TenantInput): Promise<TenantOutcome> {
  const startedAt = new Date().toISOString();
  const scenario = tenantScenario(input.scenario, input.tenant);
  const w = demoWorkloads(scenario);
  const workloads = [w.webserver, w.greenVmA, w.greenVmB];
  const ns = input.tenant.namespace;
  const unwrap = async <T>(call: Promise<{ value: T }>): Promise<T> => (await call).value;

  await unwrap(activitiesFor(input, 'apply-green-workloads', `apply tenant ${ns}`).applyManifests({ cluster: input.cluster, bundle: 'tenant', scenario }));
  const waitFor = [{ kind: 'UserDefinedNetwork' as const, namespace: ns, name: GREEN_UDN }, ...workloads.map(readinessOf)];
  await unwrap(
    activitiesFor(input, 'wait-green-ready', `wait for tenant ${ns}`).waitReady({ cluster: input.cluster, targets: waitFor, timeoutSeconds: stepTimeoutSeconds(input, 'wait-green-ready') }),
  );
  const addresses = await unwrap(activitiesFor(input, 'discover-addresses', `addresses in tenant ${ns}`).discoverAddresses({ cluster: input.cluster, workloads }));
  const [eastWest] = await unwrap(
    activitiesFor(input, 'check-east-west', `east/west in tenant ${ns}`).runProbes({
      cluster: input.cluster,
      inventory: addresses,
      probes: [httpProbe(w.greenVmA, w.webserver, scenario.webserverPort, 'allow')],
      guest: scenario.guest,
      timing: scenario.probes,
    }),
  );
  const passed = eastWest?.verdict === 'pass';
  return {
    namespace: ns,
    subnet: input.tenant.subnet,
    state: passed ? 'ready' : 'failed',
    ...(passed ? {} : { failure: `east/west: vm-a did not reach the webserver (${eastWest?.verdict ?? 'no observation'}: ${eastWest?.detail ?? ''})` }),
    addresses,
    ...(eastWest ? { eastWest } : {}),
    startedAt,
    endedAt: new Date().toISOString(),
  };
}
