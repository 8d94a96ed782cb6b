import { AppsV1Api, CoreV1Api, CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { execa } from 'execa';

export const KIND_NODES = (name: string) => [`${name}-control-plane`, `${name}-worker`, `${name}-worker2`];
/** The external client container kind.sh's MetalLB setup creates. */
export const CLIENT_CONTAINER = 'lbclient';

/**
 * Whether an existing kind cluster is the one kind.sh finishes: nodes Ready; OVN-Kubernetes,
 * Multus, KubeVirt and MetalLB up; the client container present. Every problem is named.
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
  const client = await execa('docker', ['inspect', '--format', '{{.State.Running}}', CLIENT_CONTAINER], { env, reject: false, stdin: 'ignore' });
  if (client.exitCode !== 0 || client.stdout.trim() !== 'true') problems.push(`client container ${CLIENT_CONTAINER} not running`);
  return problems;
}
