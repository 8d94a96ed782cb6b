import { providerFor } from '../../cluster/providers/index.ts';
import { tearDown } from '../../cluster/teardown.ts';
import { loadConfig } from '../../config/load.ts';
import { SCENARIO_IDS, scenarioFootprint, scenarioOf } from '../../scenarios/compose.ts';
import { info, printJson } from '../io.ts';
import { releaseForTeardown } from '../cluster-in-use.ts';

export interface TeardownOptions {
  config?: string;
  sandbox?: boolean;
  cluster?: boolean;
  json?: boolean;
}

export async function teardown(opts: TeardownOptions): Promise<void> {
  const { config } = await loadConfig(opts.config);
  const providerName = opts.sandbox ? 'sandbox' : config.cluster.provider;
  const provider = providerFor(providerName, { sandbox: config.sandbox, kind: config.cluster.kind });
  const name = config.cluster.name;
  const ref = await provider.existing(name);
  if (ref) await releaseForTeardown(config, ref);
  else info(`teardown: no ${providerName} cluster "${name}" is running; no namespaces to delete`);
  const { namespaces, clusterNetworks } = scenarioFootprint(scenarioOf(SCENARIO_IDS, config.scenario));
  const removed = await tearDown(provider, { cluster: ref, clusterName: name, namespaces, clusterNetworks, removeCluster: Boolean(opts.cluster) });
  if (opts.json) printJson({ provider: providerName, cluster: name, removed });
  else info(removed.length > 0 ? `teardown: removed ${removed.join(', ')}` : 'teardown: nothing to remove');
}
