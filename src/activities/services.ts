import { describeApiError } from '../cluster/api-errors.ts';
import { kubeConfigFor } from '../cluster/kube.ts';
import { waitForServices } from '../cluster/services.ts';
import type { ServiceAddresses, ServicesRequest } from '../model/activities.ts';
import { withProgress } from './heartbeat.ts';

/**
 * The Services' addresses and endpoints, once the cluster has given them all or the wait is
 * over. Only reads, so a retry is safe. What never came (MetalLB assigned no address) is in
 * `missing`, for the checks that need it to fail with that reason; the others still run.
 */
export function discoverServices(req: ServicesRequest): Promise<ServiceAddresses[]> {
  return withProgress(async (progress, signal) => {
    try {
      return await waitForServices(kubeConfigFor(req.cluster), req.services, req.timeoutSeconds * 1000, progress, { signal });
    } catch (err) {
      signal.throwIfAborted();
      throw new Error(`reading Services ${req.services.map((s) => `${s.namespace}/${s.name}`).join(', ')}: ${describeApiError(err)}`);
    }
  });
}
