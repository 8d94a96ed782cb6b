import { kubeConfigFor } from '../cluster/kube.ts';
import { leaseHolder } from '../cluster/run-lease.ts';
import { tearDown } from '../cluster/teardown.ts';
import type { CleanupRecord } from '../model/result.ts';
import { providerOf } from './cluster.ts';
import { withProgress } from './heartbeat.ts';
import type { CleanupRequest } from '../model/activities.ts';

const NAMESPACES_GONE_WITHIN_MS = 120_000;

/** Idempotent: what is already gone is skipped, so a retry (or a second cancel) reports only what it removed. */
export async function cleanupRun(req: CleanupRequest): Promise<CleanupRecord> {
  // A run cancelled before it claimed the cluster must not remove what the run holding it uses.
  const held = req.cluster && req.holder ? await leaseHolder(kubeConfigFor(req.cluster)) : undefined;
  if (held && held.holder !== req.holder) return { removed: [], error: `left everything in place: the cluster is held by run ${held.holder}` };
  return withProgress(async (progress) => ({ removed: await tearDown(providerOf(req), { ...req, waitMs: NAMESPACES_GONE_WITHIN_MS, progress }) }));
}
