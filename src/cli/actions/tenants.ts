import { tenantListIssues } from '../../config/schema.ts';
import { InputError } from '../../errors.ts';
import type { TenantsResult } from '../../model/tenants.ts';
import { MAX_GENERATED_TENANTS, generatedTenants, tenantsInputFromConfig } from '../../workflows/tenants-input.ts';
import { MAX_PROBE_CONCURRENCY } from '../commands/tenants.ts';
import { drive, type DriveOptions, type RunCommand } from '../drive/drive.ts';
import { followTenants } from '../tenants/follow.ts';
import { info, printJson } from '../io.ts';
import { renderTenants } from '../tenants/render.ts';
import { closedTenantsResult, tenantsExitCode } from '../tenants/outcome.ts';
import { newWorkflowId } from '../workflow-id.ts';

export interface TenantsOptions extends DriveOptions {
  count?: string;
  probeConcurrency?: string;
}

export async function tenants(opts: TenantsOptions): Promise<void> {
  process.exitCode = await drive(opts, tenantsCommand(opts));
}

/** A flag's whole number within bounds, else one line naming the problem. */
function wholeNumber(flag: string, text: string, max: number): number {
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(n >= 1 && n <= max)) throw new InputError(`${flag} must be a whole number from 1 to ${max}, got "${text}"`);
  return n;
}

function tenantsCommand(opts: TenantsOptions): RunCommand<TenantsResult> {
  return {
    name: 'tenants',
    // `status` reads DemoWorkflow's progress; a tenants run is followed by this command.
    statusFollows: false,
    configure({ config }) {
      // Both flags are read before the config is changed, so a bad one changes nothing.
      const count = opts.count === undefined ? undefined : wholeNumber('--count', opts.count, MAX_GENERATED_TENANTS);
      const concurrency = opts.probeConcurrency === undefined ? undefined : wholeNumber('--probe-concurrency', opts.probeConcurrency, MAX_PROBE_CONCURRENCY);
      if (count !== undefined) {
        // --count wins over the config's list; generated tenants are checked like a configured list.
        const list = generatedTenants(count);
        const issue = tenantListIssues(list)[0];
        if (issue) throw new InputError(`--count ${count}: tenant ${issue.path.join('.')}: ${issue.message}`);
        config.tenants.list = list;
      }
      if (concurrency !== undefined) config.tenants.probeConcurrency = concurrency;
    },
    newWorkflowId: (config) => newWorkflowId(`tenants-${config.cluster.provider}`),
    start: ({ config, source }, takeOver) => {
      const input = { ...tenantsInputFromConfig(config), ...(takeOver ? { takeOver } : {}) };
      return {
        workflowType: 'TenantsWorkflow',
        args: [input],
        staticSummary: `udn-demo tenants: ${input.tenants.length} tenants on the ${config.cluster.provider} cluster "${config.cluster.name}"`,
        staticDetails: [`Config: ${source}`, `tenants: ${tenantNames(input.tenants)}`, `probe concurrency: ${input.probeConcurrency}`].join('\n\n'),
      };
    },
    follow: (client, handle) => followTenants(client, handle, { print: info }),
    closed: (client, handle) => closedTenantsResult(client, handle),
    report(result, json) {
      if (json) printJson(result);
      else process.stdout.write(`\n${renderTenants(result)}\n`);
      return tenantsExitCode(result);
    },
  };
}

/** The first and last few tenants: the Web UI's details stay short for 250 of them. */
function tenantNames(tenants: readonly { namespace: string; subnet: string }[]): string {
  const name = (t: { namespace: string; subnet: string }) => `${t.namespace} (${t.subnet})`;
  if (tenants.length <= 6) return tenants.map(name).join(', ');
  return `${tenants.slice(0, 3).map(name).join(', ')}, … ${tenants.slice(-2).map(name).join(', ')}`;
}
