import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { z } from 'zod';
import { describeIssues } from '../../config/load.ts';

/**
 * Failures the sandbox can be told to produce, for reliability tests. Given as a YAML file
 * (`udn-demo sandbox up --faults FILE`, or $UDN_DEMO_SANDBOX_FAULTS):
 *
 *   vmiNeverReady: [green/vm-b]     # the VMI stays Scheduled with Ready=False
 *   migrationFails: [green/vm-b]    # migrations of this VMI end Failed
 *   migrationFailsOnce: [green/vm-b]  # its first migration ends Failed, the next ones succeed
 *   podNeverReady: [green/webserver]
 *   consoleDrops:                   # the first `times` console sessions are cut when their
 *     - { vmi: green/vm-a, times: 1, atCommand: 2 }   # atCommand-th command line arrives
 *   closeWatchesAfterSeconds: 2     # the API ends every watch after 2 s; clients must reopen them
 *   apiErrors:                      # the API answers these requests with an error, `times` times
 *     - { resource: virtualmachineinstancemigrations, verb: create, times: 2, code: 500,
 *         message: 'Internal error occurred: failed calling webhook "migration-create-validator.kubevirt.io"' }
 *
 * and misbehaviours of the emulated network, each one a demo check's failure for its real reason:
 *
 *   tcpResetOnMigration: true       # a migration resets the moved VM's TCP connections
 *   ipChangesOnMigration: true      # the VM comes up on its new node with a new address
 *   isolationLeak: true             # OVN routes between the primary networks
 *   networkPolicyIgnored: true      # NetworkPolicies are never programmed
 *   egressBlocked: true             # the gateways drop traffic leaving the cluster
 *   webserverHostname: imposter     # the webserver pod answers /hostname with this
 *   vmMtu: 1500                     # the guests' eth0 MTU
 *   cudnLeak: true                  # OVN routes between the ClusterUserDefinedNetworks
 *   metallbNoAddress: true          # MetalLB never gives a LoadBalancer service an address
 */
const ref = z.string().regex(/^[a-z0-9-]+\/[a-z0-9-]+$/, 'must be namespace/name');
const apiErrorRule = z.strictObject({
  resource: z.string().regex(/^[a-z][a-z0-9-]*$/, 'must be a resource name such as pods or virtualmachineinstancemigrations'),
  verb: z.enum(['create', 'get', 'list', 'watch', 'update', 'patch', 'delete', '*']),
  namespace: z.string().optional(),
  times: z.number().int().min(1).max(1000).default(1),
  code: z.number().int().min(400).max(599).default(500),
  message: z.string().default('emulated fault: the API server refused the request'),
});
export type ApiErrorRule = z.infer<typeof apiErrorRule>;

export const faultsSchema = z.strictObject({
  vmiNeverReady: z.array(ref).default([]),
  migrationFails: z.array(ref).default([]),
  /** Only the VMI's first migration fails (counted by the Failed migrations in the cluster, so a restart does not reset it). */
  migrationFailsOnce: z.array(ref).default([]),
  podNeverReady: z.array(ref).default([]),
  apiErrors: z.array(apiErrorRule).default([]),
  consoleDrops: z
    .array(
      z.strictObject({
        vmi: ref,
        times: z.number().int().min(1).max(100).default(1),
        /** udn-demo's first command line in a session sets up the terminal; the second is real work. */
        atCommand: z.number().int().min(1).max(1000).default(2),
      }),
    )
    .default([]),
  /** End every watch after this many seconds, as an API server does when its watch timeout expires. */
  closeWatchesAfterSeconds: z.number().positive().max(3600).optional(),
  /** A live migration resets the TCP connections of the VM it moves (KubeVirt v1.5.0 on a primary UDN). */
  tcpResetOnMigration: z.boolean().default(false),
  /** IPAM gives a migration's target pod a new address: the VM comes up on its new node with it. */
  ipChangesOnMigration: z.boolean().default(false),
  /** The cluster router routes between the namespaces' primary networks, so tenants reach each other. */
  isolationLeak: z.boolean().default(false),
  /** OVN never programs NetworkPolicies: traffic flows as if there were none. */
  networkPolicyIgnored: z.boolean().default(false),
  /** The gateways drop everything leaving the cluster; traffic inside it is unaffected. */
  egressBlocked: z.boolean().default(false),
  /** The pod named webserver answers /hostname (agnhost netexec) with this name instead of its own. */
  webserverHostname: z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'must be a hostname').optional(),
  /** The guests' eth0 MTU, instead of the network's 1400. */
  vmMtu: z.number().int().min(68).max(65535).optional(),
  /** The cluster router routes between the ClusterUserDefinedNetworks, so their tenants reach each other. */
  cudnLeak: z.boolean().default(false),
  /** MetalLB never assigns an address: LoadBalancer services keep an empty status.loadBalancer. */
  metallbNoAddress: z.boolean().default(false),
});
export type Faults = z.infer<typeof faultsSchema>;

export const NO_FAULTS: Faults = faultsSchema.parse({});

export async function loadFaults(file: string | undefined): Promise<Faults> {
  if (!file) return NO_FAULTS;
  let doc: unknown;
  try {
    doc = parse(await readFile(file, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(`faults ${file}: ${code === 'ENOENT' ? 'no such file' : code ?? 'not valid YAML'}`);
  }
  const parsed = faultsSchema.safeParse(doc ?? {});
  if (!parsed.success) throw new Error(`faults ${file}: ${describeIssues(parsed.error.issues)}`);
  return parsed.data;
}

export function hasFault(list: readonly string[], namespace: string | undefined, name: string | undefined): boolean {
  return list.includes(`${namespace}/${name}`);
}
