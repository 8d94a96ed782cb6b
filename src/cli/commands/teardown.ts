import type { Command } from 'commander';
import type { TeardownOptions } from '../actions/teardown.ts';

export function registerTeardown(program: Command): void {
  program
    .command('teardown')
    .description("delete what a run of any scenario created: its namespaces and ClusterUserDefinedNetworks; with --cluster also the cluster itself")
    .option('-c, --config <file>', 'YAML config file (the namespaces and the cluster to tear down)')
    .option('--sandbox', 'the sandbox cluster rather than kind')
    .option('--cluster', 'also delete the cluster (kind: and the client/frr containers and the clientnet network kind.sh made; sandbox: its processes and data)')
    .option('--json', 'print what was removed as JSON')
    .addHelpText('after', '\nSafe to repeat: what is already gone is skipped. Refused while a run that is still open holds the cluster (cancel it instead).\nExit codes: 0 done, 2 bad input, 3 cluster unreachable or in use.')
    .action(async (opts: TeardownOptions) => (await import('../actions/teardown.ts')).teardown(opts));
}
