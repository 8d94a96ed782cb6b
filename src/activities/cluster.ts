import { configSchema } from '../config/schema.ts';
import { providerFor } from '../cluster/providers/index.ts';
import type { ClusterProvider } from '../cluster/providers/types.ts';
import { withProgress } from './heartbeat.ts';
import type { EnsureClusterRequest, PreflightReport, PreflightRequest } from '../model/activities.ts';
import { PreflightError } from '../errors.ts';

export function providerOf(req: PreflightRequest | EnsureClusterRequest): ClusterProvider {
  const sandbox = 'sandbox' in req ? req.sandbox : undefined;
  return providerFor(req.provider, { ...(sandbox ? { sandbox } : {}), kind: req.kind ?? configSchema.parse({}).cluster.kind });
}

export async function preflight(req: PreflightRequest): Promise<PreflightReport> {
  const tools = await providerOf(req).preflight(req.clusterName);
  const missing = tools.filter((t) => !t.found);
  if (missing.length > 0) {
    const alternative = req.provider === 'kind' ? '; or run without Docker: udn-demo run --sandbox' : '';
    throw new PreflightError(`missing for the ${req.provider} cluster: ${missing.map((t) => `${t.name} (${t.hint ?? 'not found'})`).join('; ')}${alternative}`);
  }
  return { provider: req.provider, tools };
}

/** Idempotent: a running, healthy cluster is reused; leftovers of a crashed attempt are replaced. */
export function ensureCluster(req: EnsureClusterRequest) {
  return withProgress((progress, signal) => providerOf(req).ensure(req.clusterName, progress, signal));
}
