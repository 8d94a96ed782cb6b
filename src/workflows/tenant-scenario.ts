import type { ScenarioConfig, TenantNetwork } from '../config/schema.ts';
import { NAMESPACE_ISOLATION, TENANT_STEPS } from '../scenarios/namespace-isolation.ts';
import { namespaceIsolation } from '../scenarios/namespace-isolation-config.ts';
import type { StepDef } from '../scenarios/types.ts';

/** The scenario seen from one tenant: green's shape, in this tenant's namespace and subnet. */
export function tenantScenario(scenario: ScenarioConfig, tenant: TenantNetwork): ScenarioConfig {
  return { ...scenario, green: tenant };
}

/** The namespace-isolation table in one tenant's names. */
export function tenantTable(scenario: ScenarioConfig, tenant: TenantNetwork): typeof NAMESPACE_ISOLATION {
  return namespaceIsolation(tenantScenario(scenario, tenant));
}

/** The step of the table a tenant's activity mirrors. */
export function tenantStep(table: typeof NAMESPACE_ISOLATION, which: keyof typeof TENANT_STEPS): StepDef {
  return table.steps.find((s) => s.id === TENANT_STEPS[which])!;
}
