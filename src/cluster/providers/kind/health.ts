import { AppsV1Api, CoreV1Api, CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { firstLine } from '../../../errors.ts';
import { containerDown, dockerExec } from './docker-exec.ts';
import { CLIENT_CONTAINER, CLIENT_ROUTED_ADDRESS, METALLB_POOL } from './metallb.ts';

export const KIND_NODES = (name: string) => [`${name}-control-plane`, `${name}-worker`, `${name}-worker2`];

/**
 * Whether an existing kind cluster is the one kind.sh finishes: nodes Ready; OVN-Kubernetes,
 * Multus, KubeVirt and MetalLB (with its pool) up; the client container running, with curl and its
 * route to the pool. Every problem is named.
 */
export async function kindClusterProblems(kubeconfigPath: string, clusterName: string, env: NodeJS.ProcessEnv): Promise<string[]> {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  const core = kc.makeApiClient(CoreV1Api);
  const apps = kc.makeApiClient(AppsV1Api);
  const problems: string[] = [];
  const ask = async <T>(what: string, read: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await read();
    } catch (err) {
      problems.push(`${what}: ${(err as { code?: number }).code === 404 ? 'missing' : (err as Error).message.split('\n')[0]}`);
      return undefined;
    }
  };
  const nodes = await ask('nodes', () => core.listNode());
  if (nodes) {
    for (const n of KIND_NODES(clusterName)) {
      const node = nodes.items.find((x) => x.metadata?.name === n);
      if (!node?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) problems.push(`node ${n} not Ready`);
    }
  }
  const ovn = await ask('ovn-kubernetes pods', () => core.listNamespacedPod({ namespace: 'ovn-kubernetes' }));
  if (ovn && (ovn.items.length === 0 || ovn.items.some((p) => p.status?.phase !== 'Running'))) problems.push('ovn-kubernetes pods not all Running');
  const multus = await ask('multus', () => apps.readNamespacedDaemonSet({ namespace: 'kube-system', name: 'kube-multus-ds' }));
  if (multus && (multus.status?.numberReady ?? 0) < (multus.status?.desiredNumberScheduled ?? 1)) problems.push('multus not ready on every node');
  const kv = await ask('KubeVirt', () => kc.makeApiClient(CustomObjectsApi).getNamespacedCustomObject({ group: 'kubevirt.io', version: 'v1', namespace: 'kubevirt', plural: 'kubevirts', name: 'kubevirt' }));
  if (kv && (kv as { status?: { phase?: string } }).status?.phase !== 'Deployed') problems.push(`KubeVirt phase ${(kv as { status?: { phase?: string } }).status?.phase ?? 'unknown'}, not Deployed`);
  await ask('MetalLB', () => apps.readNamespacedDeployment({ namespace: 'metallb-system', name: 'controller' }));
  const pool = await ask(`MetalLB IPAddressPool ${METALLB_POOL.namespace}/${METALLB_POOL.name}`, () =>
    kc.makeApiClient(CustomObjectsApi).getNamespacedCustomObject({ group: 'metallb.io', version: 'v1beta1', namespace: METALLB_POOL.namespace, plural: 'ipaddresspools', name: METALLB_POOL.name }),
  );
  const addresses = (pool as { spec?: { addresses?: string[] } } | undefined)?.spec?.addresses;
  if (pool && !addresses?.includes(METALLB_POOL.ipv4)) problems.push(`MetalLB IPAddressPool ${METALLB_POOL.name} has ${addresses?.join(', ') || 'no addresses'}, not ${METALLB_POOL.ipv4}`);
  problems.push(...(await clientProblems(env)));
  return problems;
}

/** The outside client must run, have curl (the probes' tool) and kind.sh's route to the pool. */
async function clientProblems(env: NodeJS.ProcessEnv): Promise<string[]> {
  const down = await containerDown(CLIENT_CONTAINER, env);
  if (down) return [down.what];
  const run = (argv: string[]) => dockerExec(CLIENT_CONTAINER, argv, 10_000, env).catch((err: Error) => ({ exitCode: -1, stdout: '', stderr: err.message }));
  const problems: string[] = [];
  const curl = await run(['curl', '--version']);
  if (curl.exitCode !== 0) problems.push(`client container ${CLIENT_CONTAINER} has no working curl (${firstLine(curl.stderr.trim()) || `exit ${curl.exitCode}`})`);
  const routes = await run(['ip', 'route', 'show']);
  if (!routes.stdout.split('\n').some((l) => l.startsWith(`${CLIENT_ROUTED_ADDRESS} `))) {
    problems.push(`client container ${CLIENT_CONTAINER} has no route to ${CLIENT_ROUTED_ADDRESS} (kind.sh adds it through frr at the end of its MetalLB setup)`);
  }
  return problems;
}
