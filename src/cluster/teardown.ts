import type { ClusterRef } from '../model/cluster.ts';
import { kubeConfigFor } from './kube.ts';
import { deleteNamespaces } from './namespaces.ts';
import type { ClusterProvider } from './providers/types.ts';

export interface TeardownRequest {
  /** The cluster as it runs; absent when none does (there are then no namespaces to delete). */
  cluster?: ClusterRef;
  clusterName: string;
  namespaces: readonly string[];
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
  if (!req.cluster || req.namespaces.length === 0) return [];
  const gone = await deleteNamespaces(kubeConfigFor(req.cluster), req.namespaces, { waitMs: req.waitMs, progress: req.progress });
  return gone.map((ns) => `namespace ${ns}`);
}
