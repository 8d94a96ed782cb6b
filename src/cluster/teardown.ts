import type { ClusterRef } from '../model/cluster.ts';
import { kubeConfigFor } from './kube.ts';
import { deleteObjects } from './apply.ts';
import { deleteNamespaces } from './namespaces.ts';
import type { ClusterProvider } from './providers/types.ts';

export interface TeardownRequest {
  /** The cluster as it runs; absent when none does (there are then no namespaces to delete). */
  cluster?: ClusterRef;
  clusterName: string;
  namespaces: readonly string[];
  /** ClusterUserDefinedNetworks: cluster-scoped, so deleting the namespaces leaves them. */
  clusterNetworks?: readonly string[];
  removeCluster: boolean;
  /** Wait until the namespaces are gone, not merely Terminating. */
  waitMs?: number;
  progress?: (line: string) => void;
}

/**
 * What `udn-demo teardown` and a cancelled run's cleanup remove: the namespaces, or the whole
 * cluster when asked — which takes its namespaces with it, and must work even when its API no
 * longer answers. Safe to repeat: what is already gone is skipped. Says what went.
 */
export async function tearDown(provider: ClusterProvider, req: TeardownRequest): Promise<string[]> {
  if (req.removeCluster) return provider.remove(req.clusterName);
  const networks = req.clusterNetworks ?? [];
  if (!req.cluster || req.namespaces.length + networks.length === 0) return [];
  const kc = kubeConfigFor(req.cluster);
  const gone = await deleteNamespaces(kc, req.namespaces, { waitMs: req.waitMs, progress: req.progress });
  // After the namespaces: upstream holds a CUDN back while pods still use its network.
  const cudns = await deleteObjects(kc, networks.map((name) => ({ apiVersion: 'k8s.ovn.org/v1', kind: 'ClusterUserDefinedNetwork', metadata: { name } })));
  return [...gone.map((ns) => `namespace ${ns}`), ...cudns];
}
