import { kubeConfigFor } from '../cluster/kube.ts';
import { deleteNamespaces } from '../cluster/namespaces.ts';
import type { CleanupRecord } from '../model/result.ts';
import { providerOf } from './cluster.ts';
import { withProgress } from './heartbeat.ts';
import type { CleanupRequest } from '../model/activities.ts';

const NAMESPACES_GONE_WITHIN_MS = 120_000;

/** Idempotent: what is already gone is skipped, so a retry (or a second cancel) reports only what it removed. */
export function cleanupRun(req: CleanupRequest): Promise<CleanupRecord> {
  return withProgress(async (progress) => {
    const removed: string[] = [];
    if (req.cluster && !req.removeCluster && req.namespaces.length > 0) {
      const gone = await deleteNamespaces(kubeConfigFor(req.cluster), req.namespaces, { waitMs: NAMESPACES_GONE_WITHIN_MS, progress });
      removed.push(...gone.map((ns) => `namespace ${ns}`));
    }
    // Removing the cluster takes its namespaces with it.
    if (req.removeCluster) removed.push(...(await providerOf(req).remove(req.clusterName)));
    return { removed };
  });
}
