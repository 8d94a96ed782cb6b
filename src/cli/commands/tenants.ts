import type { Command } from 'commander';
import type { TenantsOptions } from '../actions/tenants.ts';
import { MAX_GENERATED_TENANTS } from '../../workflows/tenants-input.ts';
import { addDriveOptions } from '../drive/options.ts';

/** The most tenants probing at once; the config's own bound. */
export const MAX_PROBE_CONCURRENCY = 256;

export function registerTenants(program: Command): void {
  addDriveOptions(program.command('tenants').description('start TenantsWorkflow (N tenants, each with its own UDN and VMs; every pair must be isolated) and follow it to the end'))
    .option('--count <n>', `generate n tenants, tenant-01… on 10.1.0.0/16… (1-${MAX_GENERATED_TENANTS}); instead of the config's tenants.list, else green and blue`)
    .option('--probe-concurrency <n>', `how many tenants probe the others at once (1-${MAX_PROBE_CONCURRENCY}; default tenants.probeConcurrency, 16)`)
    .addHelpText('after', '\nExit codes: 0 every tenant ready and every pair isolated, 1 a check failed, 2 usage/config/input error, 3 infrastructure error.')
    .action(async (opts: TenantsOptions) => (await import('../actions/tenants.ts')).tenants(opts));
}
