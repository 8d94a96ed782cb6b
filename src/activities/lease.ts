import { kubeConfigFor } from '../cluster/kube.ts';
import { claimLease, releaseLease } from '../cluster/run-lease.ts';
import type { LeaseClaim, LeaseRequest } from '../model/activities.ts';

/** Idempotent: the holder that has the cluster keeps it; another holder makes it fail with ClusterBusy (not retryable). */
export async function claimCluster(req: LeaseRequest): Promise<LeaseClaim> {
  return { outcome: await claimLease(kubeConfigFor(req.cluster), req.holder, req.takeOver) };
}

/** Idempotent: lets go only of the holder's own Lease. */
export function releaseCluster(req: LeaseRequest): Promise<boolean> {
  return releaseLease(kubeConfigFor(req.cluster), req.holder);
}
