import { configSchema } from '../config/schema.ts';
import { kindProvider } from '../cluster/providers/kind/index.ts';
import { sandboxProvider } from '../cluster/providers/sandbox.ts';
import type { ClusterProvider } from '../cluster/providers/types.ts';
import { withProgress } from './heartbeat.ts';
import type { EnsureClusterRequest, PreflightReport, PreflightRequest } from './types.ts';
import { PreflightError } from '../errors.ts';

function providerFor(req: PreflightRequest | EnsureClusterRequest): ClusterProvider {
  if (req.provider === 'sandbox') return sandboxProvider('sandbox' in req ? req.sandbox : undefined);
  return kindProvider(req.kind ?? configSchema.parse({}).cluster.kind);
}

export async function preflight(req: PreflightRequest): Promise<PreflightReport> {
  const tools = await providerFor(req).preflight(req.clusterName);
  const missing = tools.filter((t) => !t.found);
  if (missing.length > 0) {
    const alternative = req.provider === 'kind' ? '; or run without Docker: udn-demo run --sandbox' : '';
    throw new PreflightError(`missing for the ${req.provider} cluster: ${missing.map((t) => `${t.name} (${t.hint ?? 'not found'})`).join('; ')}${alternative}`);
  }
  return { provider: req.provider, tools };
}

/** Idempotent: a running, healthy cluster is reused; leftovers of a crashed attempt are replaced. */
export function ensureCluster(req: EnsureClusterRequest) {
  return withProgress((progress) => providerFor(req).ensure(req.clusterName, progress));
}
