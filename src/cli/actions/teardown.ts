import { providerFor } from '../../cluster/providers/index.ts';
import { tearDown } from '../../cluster/teardown.ts';
import { loadConfig } from '../../config/load.ts';
import { SCENARIO_IDS, scenarioFootprint, scenarioOf } from '../../scenarios/compose.ts';
import { info, printJson } from '../io.ts';
import { clusterKey, releaseForTeardown } from '../cluster-in-use.ts';
import { tenantNamespacesOn } from '../tenants/namespaces-on-cluster.ts';
import { connectClient } from '../../client/connection.ts';
import type { Config } from '../../config/schema.ts';
import { errorMessage, firstLine } from '../../errors.ts';

export interface TeardownOptions {
  config?: string;
  sandbox?: boolean;
  cluster?: boolean;
  json?: boolean;
}

export async function teardown(opts: TeardownOptions): Promise<void> {
  const { config } = await loadConfig(opts.config);
  // As run does: --sandbox picks the provider for everything after, the cluster's key too.
  if (opts.sandbox) config.cluster.provider = 'sandbox';
  const providerName = config.cluster.provider;
  const provider = providerFor(providerName, { sandbox: config.sandbox, kind: config.cluster.kind });
  const name = config.cluster.name;
  const ref = await provider.existing(name);
  if (ref) await releaseForTeardown(config, ref);
  else info(`teardown: no ${providerName} cluster "${name}" is running; no namespaces to delete`);
  const { namespaces, clusterNetworks } = scenarioFootprint(scenarioOf(SCENARIO_IDS, config.scenario));
  const tenants = ref ? await tenantNamespaces(config) : [];
  const all = [...new Set([...namespaces, ...tenants])];
  const removed = await tearDown(provider, { cluster: ref, clusterName: name, namespaces: all, clusterNetworks, removeCluster: Boolean(opts.cluster) });
  if (opts.json) printJson({ provider: providerName, cluster: name, removed });
  else info(removed.length > 0 ? `teardown: removed ${removed.join(', ')}` : 'teardown: nothing to remove');
}

/** Tenants runs' namespaces, when Temporal can say; without it, teardown still removes the talk's. */
async function tenantNamespaces(config: Config): Promise<string[]> {
  try {
    const client = await connectClient(config.temporal);
    try {
      return await tenantNamespacesOn(client, clusterKey(config));
    } finally {
      await client.connection.close();
    }
  } catch (err) {
    info(`teardown: cannot ask Temporal which namespaces tenants runs made (${firstLine(errorMessage(err))}); removing the talk's only`);
    return [];
  }
}
