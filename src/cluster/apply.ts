import { KubernetesObjectApi, PatchStrategy, loadYaml, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import type { AppliedObject } from '../model/activities.ts';
import { apiStatusCode } from './api-errors.ts';
import { FIELD_MANAGER } from './kube.ts';

/**
 * Server-side apply, object by object, with our field manager; custom kinds are resolved through
 * API discovery by the client. Idempotent: a second apply of the same objects changes nothing,
 * and says so ('unchanged': see appliedChange).
 */
export async function applyObjects(kc: KubeConfig, objects: KubernetesObject[]): Promise<AppliedObject[]> {
  const api = KubernetesObjectApi.makeApiClient(kc);
  const out: AppliedObject[] = [];
  for (const obj of objects) {
    const before = await api.read(header(obj)).catch((err: unknown) => {
      if (apiStatusCode(err) === 404) return undefined;
      throw err;
    });
    // Known kinds serialize through the client's typed models: give it a model, not plain JSON.
    const after = await api.patch(loadYaml<KubernetesObject>(JSON.stringify(obj)), undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply);
    const action = !before ? 'created' : appliedChange(obj, before, after) ? 'configured' : 'unchanged';
    out.push({ apiVersion: obj.apiVersion!, kind: obj.kind!, ...(obj.metadata?.namespace ? { namespace: obj.metadata.namespace } : {}), name: obj.metadata!.name!, action });
  }
  return out;
}

/**
 * Whether our apply changed the object. Its resourceVersion alone cannot tell: a controller that
 * writes the object's status between our read and our apply (a VM starting) moves it too. What we
 * apply is spec and metadata: a spec change bumps the generation, and a label or annotation of
 * ours shows in `before`. Kinds without a generation (Namespace) fall back to the resourceVersion.
 */
function appliedChange(obj: KubernetesObject, before: KubernetesObject, after: KubernetesObject): boolean {
  const [was, is] = [before.metadata?.generation, after.metadata?.generation];
  if (was === undefined || is === undefined) return before.metadata?.resourceVersion !== after.metadata?.resourceVersion;
  const ours = (field: 'labels' | 'annotations') => Object.entries(obj.metadata?.[field] ?? {}).some(([k, v]) => before.metadata?.[field]?.[k] !== v);
  return was !== is || ours('labels') || ours('annotations');
}

/** Deletes the same objects, last first; absent ones are fine (cleanup is idempotent too). */
export async function deleteObjects(kc: KubeConfig, objects: KubernetesObject[]): Promise<string[]> {
  const api = KubernetesObjectApi.makeApiClient(kc);
  const deleted: string[] = [];
  for (const obj of [...objects].reverse()) {
    try {
      await api.delete(header(obj));
      deleted.push(objectName(obj));
    } catch (err) {
      if (apiStatusCode(err) !== 404) throw err;
    }
  }
  return deleted;
}

/** `Kind/namespace/name`, as deleteObjects reports what it deleted. */
export function objectName(obj: KubernetesObject): string {
  return `${obj.kind}/${obj.metadata?.namespace ? `${obj.metadata.namespace}/` : ''}${obj.metadata?.name}`;
}

function header(obj: KubernetesObject): KubernetesObject & { metadata: { name: string; namespace?: string } } {
  return { apiVersion: obj.apiVersion, kind: obj.kind, metadata: { name: obj.metadata!.name!, ...(obj.metadata?.namespace ? { namespace: obj.metadata.namespace } : {}) } };
}
