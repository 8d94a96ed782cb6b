import { selectorMatches } from '../dataplane/selectors.ts';
import { CUDN, NAD, PRIMARY_UDN_LABEL, type Cluster, type Resource } from './api.ts';
import { Controller } from './controller.ts';
import { iso, remaining, type LatencyProfile } from './latency.ts';
import { invalidPrimaryNetwork, isPrimary, renderNad, specOf } from './networks.ts';

interface Condition {
  type: string;
  status: string;
  reason: string;
  message: string;
}

/**
 * Stands in for OVN-Kubernetes' cluster manager for ClusterUserDefinedNetworks
 * (clustermanager/userdefinednetwork/controller.go at our pin): one NAD per selected namespace,
 * NADs of namespaces no longer selected deleted, and a single NetworkCreated condition that lists
 * the namespaces, or is False with NetworkAttachmentDefinitionSyncError and the joined errors
 * (a selected namespace without the primary-network label gets no NAD; the others still do).
 */
export function cudnEmulator(cluster: Cluster, lat: LatencyProfile, log: (l: string) => void): Controller {
  const cudns = cluster.resources(CUDN);
  const nads = cluster.resources(NAD);
  const namespaces = cluster.namespaces();

  const controller = new Controller('ovn-kubernetes/cudn', async (_ns, name) => {
    const cudn = cudns.get(name);
    if (!cudn?.spec || cudn.metadata?.deletionTimestamp) return;
    const wait = remaining(iso(cudn.metadata?.creationTimestamp), lat.udnReady);
    if (wait > 0) return wait;
    const selected = namespaces
      .list()
      .filter((ns) => !ns.metadata?.deletionTimestamp && selectorMatches(cudn.spec!.namespaceSelector, ns.metadata?.labels ?? {}))
      .map((ns) => ns.metadata!.name!)
      .sort();
    const errors: string[] = [];
    const rendered: string[] = [];
    for (const namespace of selected) {
      const problem = await ensureNad(cudn, namespace);
      if (problem) errors.push(problem);
      else rendered.push(namespace);
    }
    for (const stale of nads.list().filter((n) => ownedBy(n, cudn) && !selected.includes(n.metadata!.namespace!))) {
      await cluster.custom
        .deleteNamespacedCustomObject({ group: NAD.group, version: 'v1', namespace: stale.metadata!.namespace!, plural: NAD.plural, name })
        .catch((err: { code?: number }) => {
          if (err.code !== 404) throw err;
        });
    }
    const wanted: Condition = errors.length
      ? { type: 'NetworkCreated', status: 'False', reason: 'NetworkAttachmentDefinitionSyncError', message: errors.join('\n') }
      : { type: 'NetworkCreated', status: 'True', reason: 'NetworkAttachmentDefinitionCreated', message: `NetworkAttachmentDefinition has been created in following namespaces: [${rendered.join(', ')}]` };
    const current = (cudn.status?.conditions as Condition[] | undefined)?.find((c) => c.type === 'NetworkCreated');
    if (current && current.status === wanted.status && current.reason === wanted.reason && current.message === wanted.message) return;
    await cluster.patchStatus(CUDN, cudn, { conditions: [{ ...wanted, lastTransitionTime: new Date().toISOString() }] });
  }, log).watch(cudns);
  // A namespace created, labelled or relabelled later changes what a CUDN selects.
  const all = () => cudns.list().forEach((c) => controller.enqueue(c.metadata!.name!));
  namespaces.on('add', all);
  namespaces.on('update', all);
  namespaces.on('delete', all);

  /** Creates the CUDN's NAD in `namespace`, or says why upstream would not. */
  async function ensureNad(cudn: Resource, namespace: string): Promise<string | undefined> {
    const labelled = namespaces.get(namespace)?.metadata?.labels?.[PRIMARY_UDN_LABEL] !== undefined;
    if (isPrimary(specOf(cudn)) && !labelled) {
      return invalidPrimaryNetwork(namespace);
    }
    const existing = nads.get(cudn.metadata!.name!, namespace);
    if (existing) return ownedBy(existing, cudn) ? undefined : `foreign NetworkAttachmentDefinition with the desired name already exist [${namespace}/${cudn.metadata!.name}]`;
    await cluster.create(NAD, namespace, renderNad(cudn, namespace)).catch((err: { code?: number }) => {
      if (err.code !== 409) throw err;
    });
    return undefined;
  }

  function ownedBy(nad: Resource, cudn: Resource): boolean {
    return Boolean(nad.metadata?.ownerReferences?.some((o) => o.controller && o.uid === cudn.metadata!.uid));
  }

  return controller;
}
