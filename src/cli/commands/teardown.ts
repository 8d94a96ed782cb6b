import type { Command } from 'commander';
import { providerFor } from '../../cluster/providers/index.ts';
import { tearDown } from '../../cluster/teardown.ts';
import { loadConfig } from '../../config/load.ts';
import { SCENARIO_IDS, scenarioFootprint, scenarioOf } from '../../scenarios/compose.ts';
import { info, printJson } from '../io.ts';
import { releaseForTeardown } from '../cluster-in-use.ts';

export function registerTeardown(program: Command): void {
  program
    .command('teardown')
    .description("delete what a run of any scenario created: its namespaces and ClusterUserDefinedNetworks; with --cluster also the cluster itself")
    .option('-c, --config <file>', 'YAML config file (the namespaces and the cluster to tear down)')
    .option('--sandbox', 'the sandbox cluster rather than kind')
    .option('--cluster', 'also delete the cluster (kind: and the client/frr containers and the clientnet network kind.sh made; sandbox: its processes and data)')
    .option('--json', 'print what was removed as JSON')
    .addHelpText('after', '\nSafe to repeat: what is already gone is skipped. Refused while a run that is still open holds the cluster (cancel it instead).\nExit codes: 0 done, 2 bad input, 3 cluster unreachable or in use.')
    .action(async (opts: { config?: string; sandbox?: boolean; cluster?: boolean; json?: boolean }) => {
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
    });
}
