import type { V1Pod } from '@kubernetes/client-node';
import { MERGE, NAD, NETWORK_STATUS, PRIMARY_UDN_LABEL, UDN, type Cluster, type Resource } from './api.ts';
import { Controller, keyFor } from './controller.ts';
import type { Faults } from './faults.ts';
import { firstFree, networkStatus } from './ipam.ts';
import { MIGRATION_JOB, VM_LABEL } from './kubevirt.ts';
import { iso, remaining, type LatencyProfile } from './latency.ts';
import { invalidPrimaryNetwork, isPrimary, nadRendered, persistentIps, primaryNetworks, renderNad, specOf, subnetsOf } from './networks.ts';

/** kind's pod network, cut into one subnet per node. */
export const CLUSTER_SUBNET = '10.244.0.0/16';
const NODE_SUBNETS: Record<string, string> = { 'ovn-control-plane': '10.244.0.0/24', 'ovn-worker': '10.244.1.0/24', 'ovn-worker2': '10.244.2.0/24' };

/**
 * Stands in for OVN-Kubernetes' cluster manager and CNI: renders each UserDefinedNetwork into a
 * NetworkAttachmentDefinition and reports its conditions, enforces the primary-network namespace
 * label, and gives every pod its addresses (the default network on eth0, the namespace's primary
 * UDN or CUDN on ovn-udn1) in the network-status annotation. A network's addresses come from one
 * pool, shared by all the namespaces a CUDN selects. A VM's launcher pods share one address, as
 * with Persistent IPAM, so the VM keeps it across a migration — unless the fault
 * ipChangesOnMigration makes IPAM give a migration's target pod an address of its own.
 */
export function ovnKubernetesEmulator(cluster: Cluster, lat: LatencyProfile, faults: Pick<Faults, 'ipChangesOnMigration'>, log: (l: string) => void): Controller[] {
  const udns = cluster.resources(UDN);
  const nads = cluster.resources(NAD);
  const pods = cluster.pods();
  const namespaces = cluster.namespaces();
  const primaryOf = primaryNetworks(cluster);
  /** Addresses handed out but perhaps not yet seen in the watch cache: network → owner → IP. */
  const allocated = new Map<string, Map<string, string>>();

  const udnController = new Controller('ovn-kubernetes/udn', async (namespace, name) => {
    const udn = udns.get(name, namespace);
    if (!udn?.spec || udn.metadata?.deletionTimestamp) return;
    const labelled = namespaces.get(namespace!)?.metadata?.labels?.[PRIMARY_UDN_LABEL] !== undefined;
    if (isPrimary(specOf(udn)) && !labelled) {
      return setConditions(udn, false, 'SyncError', invalidPrimaryNetwork(namespace!));
    }
    const wait = remaining(iso(udn.metadata?.creationTimestamp), lat.udnReady);
    if (wait > 0) return wait;
    await cluster.create(NAD, namespace!, renderNad(udn, namespace!)).catch((err: { code?: number }) => {
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
    const network = primaryOf(namespace!);
    // Without its primary network's NAD a pod of a labelled namespace cannot start (ContainerCreating).
    if (labelled && !(network && nadRendered(cluster, network, namespace!))) return;
    const defaultIp = allocate(`node:${pod.spec.nodeName}`, pod.metadata.uid!, NODE_SUBNETS[pod.spec.nodeName] ?? '10.244.9.0/24', (p) => p.spec?.nodeName === pod.spec!.nodeName, 'eth0');
    let udnIp: string | undefined;
    if (network) {
      const vm = pod.metadata.labels?.[VM_LABEL];
      const forgetful = faults.ipChangesOnMigration && pod.metadata.labels?.[MIGRATION_JOB] !== undefined;
      const persistent = vm !== undefined && persistentIps(network.spec) && !forgetful;
      const owner = persistent ? `vmi:${namespace}/${vm}` : pod.metadata.uid!;
      const onNetwork = (p: V1Pod) => p.metadata?.namespace !== undefined && primaryOf(p.metadata.namespace)?.id === network.id;
      udnIp = (persistent ? existingVmAddress(namespace!, vm!) : undefined) ?? allocate(`udn:${network.id}`, owner, subnetsOf(network.spec)[0]!, onNetwork, 'ovn-udn1');
    }
    await cluster.core.patchNamespacedPod({ name, namespace: namespace!, body: { metadata: { annotations: { [NETWORK_STATUS]: JSON.stringify(networkStatus(defaultIp, udnIp), null, 2) } } } }, MERGE);
  }, log).watch(pods);
  // Pods waiting for their namespace's network start when its NAD appears.
  nads.on('add', (n) => pods.list(n.metadata?.namespace).forEach((p) => cniController.enqueue(keyFor(p))));
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
