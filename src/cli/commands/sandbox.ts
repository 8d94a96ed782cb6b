import type { Command } from 'commander';
import type { UpOptions } from '../actions/sandbox.ts';

export function registerSandbox(program: Command): void {
  const sandbox = program
    .command('sandbox')
    .description('the sandbox cluster: a real kube-apiserver (with the demo\'s CRDs) and emulated OVN-Kubernetes, KubeVirt and kubelet; no Docker needed');
  sandbox
    .command('up')
    .description('start it (building etcd and kube-apiserver with Go on first use), or reuse the running one')
    .option('--profile <name>', 'timings of the emulated cluster: instant or realistic', 'realistic')
    .option('--scale <factor>', 'multiply the profile\'s timings (0.25: VM boot ~6 s, migration ~4 s)', '0.25')
    .option('--faults <file>', 'YAML file of failures to produce (see docs/sandbox.md)')
    .option('--no-egress', 'workloads cannot reach hosts outside the cluster')
    .option('--json', 'print the status as JSON')
    .option('--name <cluster>', 'cluster name (one sandbox per name)', 'ovn')
    .action(async (opts: UpOptions) => (await import('../actions/sandbox.ts')).up(opts));
  sandbox
    .command('down')
    .description('stop every sandbox process and delete its data')
    .option('--name <cluster>', 'cluster name', 'ovn')
    .action(async (opts: { name: string }) => (await import('../actions/sandbox.ts')).down(opts));
  sandbox
    .command('status')
    .description('say whether it is up, and where its kubeconfig is; exit 0 if ready, 3 otherwise')
    .option('--json', 'print the status as JSON')
    .option('--name <cluster>', 'cluster name', 'ovn')
    .action(async (opts: { json?: boolean; name: string }) => (await import('../actions/sandbox.ts')).status(opts));
}
