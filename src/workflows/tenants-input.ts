import type { Config, TenantNetwork } from '../config/schema.ts';
import { demoInputFromConfig, type DemoInput } from './demo-input.ts';

/** What TenantsWorkflow is started with: the demo's cluster and scenario, and the tenants. */
export interface TenantsInput extends Omit<DemoInput, 'ordering' | 'operator'> {
  tenants: TenantNetwork[];
  probeConcurrency: number;
}

export function tenantsInputFromConfig(config: Pick<Config, 'cluster' | 'scenario' | 'timeouts' | 'retry' | 'operator' | 'ordering' | 'sandbox' | 'tenants'>): TenantsInput {
  const { ordering: _ordering, operator: _operator, ...demo } = demoInputFromConfig(config);
  const { green, blue } = config.scenario;
  return { ...demo, tenants: config.tenants.list ?? [green, blue], probeConcurrency: config.tenants.probeConcurrency };
}

/** The most tenants `--count` makes: their subnets are 10.1.0.0/16 … 10.250.0.0/16. */
export const MAX_GENERATED_TENANTS = 250;

/** `tenant-01` … on 10.1.0.0/16 …: disjoint subnets, names that sort in order. */
export function generatedTenants(count: number): TenantNetwork[] {
  const width = String(count).length < 2 ? 2 : String(count).length;
  return Array.from({ length: count }, (_, i) => ({ namespace: `tenant-${String(i + 1).padStart(width, '0')}`, subnet: `10.${i + 1}.0.0/16` }));
}
