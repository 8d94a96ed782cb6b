import { selectorMatches } from '../dataplane/selectors.ts';
import { CUDN, NAD, PRIMARY_UDN_LABEL, UDN, type Cluster, type Resource } from './api.ts';

/** The MTU OVN-Kubernetes gives its networks on kind's 1500-byte underlay: 100 bytes left for Geneve. */
export const NETWORK_MTU = 1400;
/** The join subnets OVN-Kubernetes renders for a primary network that names none. */
const PRIMARY_JOIN_SUBNETS = ['100.65.0.0/16', 'fd99::/64'];

/** A UserDefinedNetwork's spec, or a ClusterUserDefinedNetwork's spec.network: topology and its config. */
export interface NetworkSpec {
  topology?: string;
  layer2?: Record<string, any>;
  layer3?: Record<string, any>;
}

/** A namespace's primary user-defined network, as OVN-Kubernetes resolves it. */
export interface PrimaryNetwork {
  /**
   * The network's identity, shared by every namespace on it: `NAMESPACE/NAME` for a UDN, and
   * OVN-Kubernetes' own name `cluster.udn.NAME` for a CUDN (one network over its namespaces).
   */
  id: string;
  /** The UDN or CUDN that defines it: its NAD in each namespace has its name and names it owner. */
  owner: Resource;
  spec: NetworkSpec;
}

/** OVN-Kubernetes' InvalidPrimaryNetworkError (util/util.go at our pin). */
export function invalidPrimaryNetwork(namespace: string): string {
  return `invalid primary network state for namespace "${namespace}": a valid primary user defined network or network attachment definition custom resource, and required namespace label "${PRIMARY_UDN_LABEL}" must both be present`;
}

/** OVN-Kubernetes' name for a CUDN's network, one network over all the namespaces it selects. */
export function cudnNetworkId(name: string): string {
  return `cluster.udn.${name}`;
}

export function specOf(owner: Resource): NetworkSpec {
  return (owner.kind === 'ClusterUserDefinedNetwork' ? owner.spec?.network : owner.spec) ?? {};
}

export function layerOf(spec: NetworkSpec): Record<string, any> {
  return spec.layer2 ?? spec.layer3 ?? {};
}

export function isPrimary(spec: NetworkSpec): boolean {
  return layerOf(spec).role === 'Primary';
}

export function subnetsOf(spec: NetworkSpec): string[] {
  return (layerOf(spec).subnets ?? []).map((s: string | { cidr: string }) => (typeof s === 'string' ? s : s.cidr));
}

export function mtuOf(spec: NetworkSpec): number {
  return layerOf(spec).mtu ?? NETWORK_MTU;
}

export function persistentIps(spec: NetworkSpec): boolean {
  return spec.layer2?.ipam?.lifecycle === 'Persistent';
}

/**
 * Resolves namespaces to their primary network: only a namespace labelled for one has it (the
 * label must be there from creation), from its own primary UDN or else a primary CUDN whose
 * namespaceSelector selects it. Read fresh from the watch caches on every call.
 */
export function primaryNetworks(cluster: Cluster): (namespace: string) => PrimaryNetwork | undefined {
  const udns = cluster.resources(UDN);
  const cudns = cluster.resources(CUDN);
  const namespaces = cluster.namespaces();
  return (namespace) => {
    const labels = namespaces.get(namespace)?.metadata?.labels ?? {};
    if (labels[PRIMARY_UDN_LABEL] === undefined) return undefined;
    const udn = udns.list(namespace).find((u) => !u.metadata?.deletionTimestamp && isPrimary(specOf(u)));
    if (udn) return { id: `${namespace}/${udn.metadata!.name}`, owner: udn, spec: specOf(udn) };
    const cudn = cudns
      .list()
      .filter((c) => !c.metadata?.deletionTimestamp && isPrimary(specOf(c)) && selectorMatches(c.spec?.namespaceSelector, labels))
      .sort((a, b) => a.metadata!.name!.localeCompare(b.metadata!.name!))[0];
    return cudn ? { id: cudnNetworkId(cudn.metadata!.name!), owner: cudn, spec: specOf(cudn) } : undefined;
  };
}

/** Whether the network's NAD is in `namespace`: what OVN-Kubernetes' CNI needs to plumb a pod there. */
export function nadRendered(cluster: Cluster, network: PrimaryNetwork, namespace: string): boolean {
  const nad = cluster.resources(NAD).get(network.owner.metadata!.name!, namespace);
  return Boolean(nad?.metadata?.ownerReferences?.some((o) => o.uid === network.owner.metadata!.uid));
}

/**
 * The NetworkAttachmentDefinition OVN-Kubernetes' cluster manager renders for a UDN or CUDN in
 * `namespace` (clustermanager/userdefinednetwork/template at our pin): named after its owner,
 * controlled by it, labelled k8s.ovn.org/user-defined-network, with the CNI config upstream writes.
 */
export function renderNad(owner: Resource, namespace: string): Resource {
  const name = owner.metadata!.name!;
  const cluster = owner.kind === 'ClusterUserDefinedNetwork';
  const spec = specOf(owner);
  const layer = layerOf(spec);
  const config: Record<string, unknown> = {
    cniVersion: '1.0.0',
    type: 'ovn-k8s-cni-overlay',
    name: cluster ? cudnNetworkId(name) : `${namespace}.${name}`,
    netAttachDefName: `${namespace}/${name}`,
    topology: String(spec.topology).toLowerCase(),
    role: String(layer.role).toLowerCase(),
    ...(layer.mtu ? { mtu: layer.mtu } : {}),
    ...(isPrimary(spec) ? { joinSubnets: (layer.joinSubnets ?? PRIMARY_JOIN_SUBNETS).join(',') } : {}),
    subnets: spec.layer3 ? (layer.subnets ?? []).map((s: { cidr: string; hostSubnet?: number }) => (s.hostSubnet ? `${s.cidr}/${s.hostSubnet}` : s.cidr)).join(',') : subnetsOf(spec).join(','),
    ...(persistentIps(spec) ? { allowPersistentIPs: true } : {}),
  };
  return {
    apiVersion: 'k8s.cni.cncf.io/v1',
    kind: 'NetworkAttachmentDefinition',
    metadata: {
      name,
      namespace,
      labels: { 'k8s.ovn.org/user-defined-network': '' },
      ownerReferences: [{ apiVersion: 'k8s.ovn.org/v1', kind: owner.kind!, name, uid: owner.metadata!.uid!, controller: true, blockOwnerDeletion: true }],
    },
    spec: { config: JSON.stringify(config) },
  };
}
