import { Context } from '@temporalio/activity';
import { apiStatusCode, describeApiError } from '../cluster/api-errors.ts';
import { discover } from '../cluster/addresses.ts';
import type { KubeConfig } from '@kubernetes/client-node';
import { applyObjects, deleteObjects, objectName } from '../cluster/apply.ts';
import { kubeConfigFor } from '../cluster/kube.ts';
import { migrate } from '../cluster/migrate.ts';
import { renderBundle } from '../cluster/manifests.ts';
import { waitUntilReady } from '../cluster/wait.ts';
import { InputError } from '../errors.ts';
import type { Inventory } from '../model/workload.ts';
import { withProgress } from './heartbeat.ts';
import type { ScenarioConfig } from '../config/schema.ts';
import type { AppliedObject, ApplyOutcome, ApplyRequest, DiscoverRequest, MigrateRequest, MigrationRecord, ReadinessReport, WaitReadyRequest } from '../model/activities.ts';

/** The API refused the object itself (invalid, forbidden): a retry sends the same object again. */
function rethrowApi(what: string, err: unknown): never {
  const code = apiStatusCode(err);
  if (code !== undefined && code >= 400 && code < 500 && code !== 404 && code !== 409 && code !== 429) throw new InputError(`${what}: ${describeApiError(err)}`);
  throw new Error(`${what}: ${describeApiError(err)}`);
}

/**
 * Applies a bundle. The first one also removes what later phases of an earlier run left in the
 * cluster (the NetworkPolicy, new-webserver): on a reused cluster they would decide the early
 * checks (a policy left from the last run blocks the webserver before this run applies it).
 */
export async function applyManifests(req: ApplyRequest): Promise<ApplyOutcome> {
  const objects = await renderBundle(req.bundle, req.scenario);
  const kc = kubeConfigFor(req.cluster);
  try {
    // A tenant has green's shape: a demo run in its namespace leaves the same later phases behind.
    const removed = req.bundle === 'green-network' || req.bundle === 'tenant' ? await removeLeftovers(kc, req.scenario) : [];
    return { bundle: req.bundle, objects: [...removed, ...(await applyObjects(kc, objects))] };
  } catch (err) {
    rethrowApi(`apply ${req.bundle}`, err);
  }
}

async function removeLeftovers(kc: KubeConfig, scenario: ScenarioConfig): Promise<AppliedObject[]> {
  const later = [...(await renderBundle('netpol', { ...scenario, networkPolicy: true })), ...(await renderBundle('new-webserver', scenario))];
  const gone = new Set(await deleteObjects(kc, later));
  return later
    .filter((o) => gone.has(objectName(o)))
    .map((o) => ({ apiVersion: o.apiVersion!, kind: o.kind!, ...(o.metadata?.namespace ? { namespace: o.metadata.namespace } : {}), name: o.metadata!.name!, action: 'deleted' as const }));
}

export async function waitReady(req: WaitReadyRequest): Promise<ReadinessReport> {
  const started = Date.now();
  const ready = await withProgress((progress, signal) =>
    waitUntilReady(kubeConfigFor(req.cluster), req.targets, req.timeoutSeconds * 1000, (notReady) => progress(`waiting for ${notReady.join('; ')}`), signal),
  );
  return { ready, waitedMs: Date.now() - started };
}

export async function discoverAddresses(req: DiscoverRequest): Promise<Inventory> {
  Context.current().heartbeat();
  try {
    return await discover(kubeConfigFor(req.cluster), req.workloads);
  } catch (err) {
    if (err instanceof Error && err.name === 'AddressMissing') throw err;
    rethrowApi('discover addresses', err);
  }
}

export function migrateVmi(req: MigrateRequest): Promise<MigrationRecord> {
  return withProgress((progress, signal) => migrate(kubeConfigFor(req.cluster), req.vmi, req.migrationName, req.timeoutSeconds * 1000, progress, signal));
}
