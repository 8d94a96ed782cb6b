import type { V1Pod } from '@kubernetes/client-node';
import { MERGE, NAD, NETWORK_STATUS, PRIMARY_UDN_LABEL, UDN, type Cluster, type Resource } from './api.ts';
import { Controller, keyFor } from './controller.ts';
import type { Faults } from './faults.ts';
import { firstFree, networkStatus } from './ipam.ts';
import { MIGRATION_JOB, VM_LABEL } from './kubevirt.ts';
import { iso, remaining, type LatencyProfile } from './latency.ts';

/** kind's pod network, cut into one subnet per node. */
export const CLUSTER_SUBNET = '10.244.0.0/16';
const NODE_SUBNETS: Record<string, string> = { 'ovn-control-plane': '10.244.0.0/24', 'ovn-worker': '10.244.1.0/24', 'ovn-worker2': '10.244.2.0/24' };
/** The MTU OVN-Kubernetes gives its networks on kind's 1500-byte underlay: 100 bytes left for Geneve. */
export const NETWORK_MTU = 1400;

/**
 * Stands in for OVN-Kubernetes' cluster manager and CNI: renders each UserDefinedNetwork into a
 * NetworkAttachmentDefinition and reports its conditions, enforces the primary-network namespace
 * label, and gives every pod its addresses (the default network on eth0, the namespace's primary
 * UDN on ovn-udn1) in the network-status annotation. A VM's launcher pods share one UDN address,
 * as with Persistent IPAM, so the VM keeps it across a migration — unless the fault
 * ipChangesOnMigration makes IPAM give a migration's target pod an address of its own.
 */
export function ovnKubernetesEmulator(cluster: Cluster, lat: LatencyProfile, faults: Pick<Faults, 'ipChangesOnMigration'>, log: (l: string) => void): Controller[] {
  const udns = cluster.resources(UDN);
  const pods = cluster.pods();
  const namespaces = cluster.namespaces();
  /** Addresses handed out but perhaps not yet seen in the watch cache: network → owner → IP. */
  const allocated = new Map<string, Map<string, string>>();

  const udnController = new Controller('ovn-kubernetes/udn', async (namespace, name) => {
    const udn = udns.get(name, namespace);
    if (!udn?.spec || udn.metadata?.deletionTimestamp) return;
    const role = udn.spec.layer2?.role ?? udn.spec.layer3?.role;
    const labelled = namespaces.get(namespace!)?.metadata?.labels?.[PRIMARY_UDN_LABEL] !== undefined;
    if (role === 'Primary' && !labelled) {
      return setConditions(udn, false, 'SyncError', `invalid primary network state for namespace "${namespace}": a valid primary user defined network or network attachment definition custom resource, and required namespace label "${PRIMARY_UDN_LABEL}" must both be present`);
    }
    const wait = remaining(iso(udn.metadata?.creationTimestamp), lat.udnReady);
    if (wait > 0) return wait;
    await cluster
      .create(NAD, namespace!, {
        apiVersion: 'k8s.cni.cncf.io/v1',
        kind: 'NetworkAttachmentDefinition',
        metadata: { name: name, namespace, ownerReferences: [{ apiVersion: 'k8s.ovn.org/v1', kind: 'UserDefinedNetwork', name, uid: udn.metadata!.uid!, controller: true, blockOwnerDeletion: true }] },
        spec: { config: JSON.stringify(nadConfig(namespace!, name, udn)) },
      })
      .catch((err: { code?: number }) => {
        if (err.code !== 409) throw err;
      });
    await setConditions(udn, true, 'NetworkAttachmentDefinitionCreated', 'NetworkAttachmentDefinition has been created');
  }, log).watch(udns);
  // A namespace labelled late, or created after its UDN, changes the verdict.
  namespaces.on('update', (ns) => udns.list(ns.metadata?.name).forEach((u) => udnController.enqueue(keyFor(u))));

  async function setConditions(udn: Resource, ok: boolean, reason: string, message: string): Promise<void> {
    const current = udn.status?.conditions as { type: string; status: string; reason: string }[] | undefined;
    const wanted = ok ? 'True' : 'False';
    if (current?.find((c) => c.type === 'NetworkCreated')?.status === wanted && current.find((c) => c.type === 'NetworkCreated')?.reason === reason) return;
    const now = new Date().toISOString();
    const conditions = [{ type: 'NetworkCreated', status: wanted, reason, message, lastTransitionTime: now }];
    if (ok) conditions.push({ type: 'NetworkAllocationSucceeded', status: 'True', reason: 'NetworkAllocationSucceeded', message: 'Network allocation succeeded for all synced nodes.', lastTransitionTime: now });
    await cluster.patchStatus(UDN, udn, { conditions });
  }

  const cniController = new Controller('ovn-kubernetes/cni', async (namespace, name) => {
    const pod = pods.get(name, namespace);
    if (!pod?.metadata || !pod.spec?.nodeName || pod.metadata.deletionTimestamp || pod.metadata.annotations?.[NETWORK_STATUS]) return;
    const labelled = namespaces.get(namespace!)?.metadata?.labels?.[PRIMARY_UDN_LABEL] !== undefined;
    const udn = udns.list(namespace).find((u) => (u.spec?.layer2?.role ?? u.spec?.layer3?.role) === 'Primary');
    const ready = udn?.status?.conditions?.some((c: { type: string; status: string }) => c.type === 'NetworkCreated' && c.status === 'True');
    // Without its primary network a pod of a labelled namespace cannot start (ContainerCreating).
    if (labelled && !ready) return;
    const defaultIp = allocate(`node:${pod.spec.nodeName}`, pod.metadata.uid!, NODE_SUBNETS[pod.spec.nodeName] ?? '10.244.9.0/24', (p) => p.spec?.nodeName === pod.spec!.nodeName, 'eth0');
    let udnIp: string | undefined;
    if (udn && ready) {
      const vm = pod.metadata.labels?.[VM_LABEL];
      const forgetful = faults.ipChangesOnMigration && pod.metadata.labels?.[MIGRATION_JOB] !== undefined;
      const persistent = vm !== undefined && udn.spec?.layer2?.ipam?.lifecycle === 'Persistent' && !forgetful;
      const owner = persistent ? `vmi:${namespace}/${vm}` : pod.metadata.uid!;
      udnIp = (persistent ? existingVmAddress(namespace!, vm!) : undefined) ?? allocate(`udn:${namespace}/${udn.metadata!.name}`, owner, firstSubnet(udn), (p) => p.metadata?.namespace === namespace, 'ovn-udn1');
    }
    await cluster.core.patchNamespacedPod({ name, namespace: namespace!, body: { metadata: { annotations: { [NETWORK_STATUS]: JSON.stringify(networkStatus(defaultIp, udnIp), null, 2) } } } }, MERGE);
  }, log).watch(pods);
  // Pods waiting for their namespace's network start when it becomes ready.
  udns.on('update', (u) => pods.list(u.metadata?.namespace).forEach((p) => cniController.enqueue(keyFor(p))));
  pods.on('delete', (p) => {
    if (!p.metadata?.labels?.[VM_LABEL]) for (const owners of allocated.values()) owners.delete(p.metadata!.uid!);
  });

  function allocate(network: string, owner: string, subnet: string, inScope: (p: V1Pod) => boolean, iface: string): string {
    const owners = allocated.get(network) ?? new Map<string, string>();
    allocated.set(network, owners);
    const mine = owners.get(owner);
    if (mine) return mine;
    const used = new Set(owners.values());
    for (const p of pods.list()) if (inScope(p)) for (const ip of addressesOn(p, iface)) used.add(ip);
    const ip = firstFree(subnet, used);
    owners.set(owner, ip);
    return ip;
  }

  function existingVmAddress(namespace: string, vm: string): string | undefined {
    for (const p of pods.list(namespace)) if (p.metadata?.labels?.[VM_LABEL] === vm) for (const ip of addressesOn(p, 'ovn-udn1')) return ip;
    return undefined;
  }

  return [udnController, cniController];
}

function addressesOn(pod: V1Pod, iface: string): string[] {
  const raw = pod.metadata?.annotations?.[NETWORK_STATUS];
  if (!raw) return [];
  return (JSON.parse(raw) as { interface: string; ips: string[] }[]).filter((e) => e.interface === iface).flatMap((e) => e.ips);
}

function firstSubnet(udn: Resource): string {
  const s = udn.spec?.layer2?.subnets?.[0] ?? udn.spec?.layer3?.subnets?.[0]?.cidr;
  return String(s);
}

/** The CNI config OVN-Kubernetes writes into the NAD it renders for a UDN. */
function nadConfig(namespace: string, name: string, udn: Resource): Record<string, unknown> {
  const topology = String(udn.spec?.topology).toLowerCase();
  const net = udn.spec?.layer2 ?? udn.spec?.layer3 ?? {};
  return {
    cniVersion: '1.0.0',
    type: 'ovn-k8s-cni-overlay',
    name: `${namespace}_${name}`,
    netAttachDefName: `${namespace}/${name}`,
    topology,
    role: String(net.role).toLowerCase(),
    subnets: (net.subnets ?? []).map((s: string | { cidr: string }) => (typeof s === 'string' ? s : s.cidr)).join(','),
    joinSubnet: '100.65.0.0/16,fd99::/64',
    mtu: net.mtu ?? NETWORK_MTU,
    allowPersistentIPs: net.ipam?.lifecycle === 'Persistent',
  };
}
