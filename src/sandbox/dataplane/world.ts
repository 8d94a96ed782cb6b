import type { V1Pod } from '@kubernetes/client-node';
import { CUDN, NETWORK_STATUS, VMI, type Cluster } from '../emulators/api.ts';
import type { Faults } from '../emulators/faults.ts';
import { NODE_IPS } from '../emulators/kubelet.ts';
import { VM_LABEL } from '../emulators/kubevirt.ts';
import { iso, remaining } from '../emulators/latency.ts';
import { cudnNetworkId, mtuOf, NETWORK_MTU, primaryNetworks, subnetsOf } from '../emulators/networks.ts';
import { CLUSTER_SUBNET } from '../emulators/ovn-kubernetes.ts';
import type { Endpoint, World } from './reachability.ts';
import { serviceRoutes } from './service-routes.ts';

/** The talk's web server, whose /hostname the east-west check compares (the webserverHostname fault renames it). */
const WEBSERVER = 'webserver';

export interface WorldOptions {
  egress: boolean;
  /** The data plane's faults: each makes OVN-Kubernetes, KubeVirt or a workload misbehave as on a broken cluster. */
  faults: Pick<Faults, 'isolationLeak' | 'cudnLeak' | 'networkPolicyIgnored' | 'egressBlocked' | 'tcpResetOnMigration' | 'webserverHostname' | 'vmMtu'>;
  policyProgramMs: number;
  /** How long a migrated VM's network stays cut once it runs on its new node. */
  switchoverMs: number;
  /** TCP ports a guest listens on at its address (iperf3, http.server), from the emulated consoles. */
  guestListening: (namespace: string, vm: string, address: string) => number[];
}

/**
 * The data plane's view of the cluster, read fresh from the watch caches for every flow: running
 * pods and VMs on their primary networks, and the NetworkPolicies OVN has programmed so far.
 */
export function worldFrom(cluster: Cluster, opts: WorldOptions): () => World {
  const pods = cluster.pods();
  const namespaces = cluster.namespaces();
  const vmis = cluster.resources(VMI);
  const cudns = cluster.resources(CUDN);
  const policies = cluster.networkPolicies();
  const resolve = primaryNetworks(cluster);
  const services = serviceRoutes(cluster);

  const primaryNetwork = (ns: string): { network: string; subnets: string[]; mtu: number } => {
    const net = resolve(ns);
    return net ? { network: net.id, subnets: subnetsOf(net.spec), mtu: mtuOf(net.spec) } : { network: 'default', subnets: [CLUSTER_SUBNET], mtu: NETWORK_MTU };
  };

  // A VM's network is cut from the moment it is first seen on its new node (the watch lags the
  // migration's end by a few ms), for the switchover; a move noticed long after is not a cut.
  // Every move counts for the TCP resets of tcpResetOnMigration, noticed late or not.
  const lastNode = new Map<string, { node: string; cutUntil: number; moves: number }>();
  const moved = (vm: string, node: string, migrationEnd: string | Date | undefined): { switchingOver: boolean; moves: number } => {
    const now = Date.now();
    const seen = lastNode.get(vm);
    const fresh = migrationEnd !== undefined && remaining(iso(migrationEnd), 1_000) > 0;
    if (!seen || seen.node !== node) lastNode.set(vm, { node, cutUntil: seen && fresh ? now + opts.switchoverMs : 0, moves: seen ? seen.moves + 1 : 0 });
    const state = lastNode.get(vm)!;
    return { switchingOver: now < state.cutUntil, moves: state.moves };
  };

  return () => {
    const endpoints: Endpoint[] = [];
    const subnets: Record<string, string[]> = {};
    const networks = new Map<string, ReturnType<typeof primaryNetwork>>();
    for (const pod of pods.list()) {
      if (pod.status?.phase !== 'Running' || !pod.metadata?.namespace) continue;
      const ns = pod.metadata.namespace;
      const vm = pod.metadata.labels?.[VM_LABEL];
      // During a migration two launcher pods hold the VM's address; the VM is where its VMI says.
      const vmi = vm ? vmis.get(vm, ns) : undefined;
      if (vm && vmi?.status?.nodeName !== pod.spec?.nodeName) continue;
      const ip = defaultAddress(pod);
      if (!ip) continue;
      if (!networks.has(ns)) networks.set(ns, primaryNetwork(ns));
      const { network, subnets: s, mtu } = networks.get(ns)!;
      subnets[network] = s;
      const move = vm ? moved(`${ns}/${vm}`, pod.spec?.nodeName ?? '', vmi?.status?.migrationState?.endTimestamp) : undefined;
      endpoints.push({
        namespace: ns,
        name: vm ?? pod.metadata.name!,
        kind: vm ? 'VirtualMachineInstance' : 'Pod',
        labels: pod.metadata.labels ?? {},
        network,
        ip,
        node: pod.spec?.nodeName ?? '',
        // The guest takes its MTU from KubeVirt's DHCP; the vmMtu fault makes it take another.
        mtu: vm ? (opts.faults.vmMtu ?? mtu) : mtu,
        migrating: Boolean(vmi?.status?.migrationState?.startTimestamp && !vmi.status.migrationState.completed && !vmi.status.migrationState.failed),
        switchingOver: move?.switchingOver ?? false,
        tcpResets: opts.faults.tcpResetOnMigration ? (move?.moves ?? 0) : 0,
        listening: vm ? opts.guestListening(ns, vm, ip).map((port) => ({ port })) : agnhostPorts(pod, pod.metadata.name === WEBSERVER ? opts.faults.webserverHostname : undefined),
      });
    }
    // A policy takes effect once OVN has programmed it, and never when the ACLs are not written.
    const programmed = opts.faults.networkPolicyIgnored ? [] : policies.list().filter((p) => remaining(iso(p.metadata?.creationTimestamp), opts.policyProgramMs) <= 0);
    return {
      endpoints,
      policies: programmed,
      subnets,
      nodeAddresses: NODE_IPS,
      egress: opts.egress && !opts.faults.egressBlocked,
      networksJoined: opts.faults.isolationLeak,
      leaking: opts.faults.cudnLeak ? cudns.list().map((c) => cudnNetworkId(c.metadata!.name!)) : [],
      services: services((ns) => networks.get(ns)?.network ?? primaryNetwork(ns).network, defaultAddress),
      outside: [],
      namespaceLabels: (ns) => namespaces.get(ns)?.metadata?.labels ?? {},
    };
  };
}

/**
 * A pod's address, parsed once per pod object: the world is rebuilt for every packet, and watch
 * caches replace an object when it changes, so the object itself is the cache key. Without this,
 * parsing every pod's network status for every ping made the emulator's cost per probe grow with
 * the cluster (N tenants probing each other: N³).
 */
const addresses = new WeakMap<V1Pod, string | undefined>();

function defaultAddress(pod: V1Pod): string | undefined {
  if (addresses.has(pod)) return addresses.get(pod);
  const raw = pod.metadata?.annotations?.[NETWORK_STATUS];
  const entries = raw ? (JSON.parse(raw) as { ips?: string[]; default?: boolean }[]) : [];
  const ip = entries.find((e) => e.default)?.ips?.[0];
  addresses.set(pod, ip);
  return ip;
}

/**
 * agnhost netexec serves HTTP on --http-port (8080 when not given) and answers /hostname with the
 * pod name, or with `hostname` when a fault renames the pod's host.
 */
export function agnhostPorts(pod: V1Pod, hostname = pod.metadata!.name!): { port: number; hostname: string }[] {
  const out: { port: number; hostname: string }[] = [];
  for (const c of pod.spec?.containers ?? []) {
    const args = [...(c.command ?? []), ...(c.args ?? [])];
    if (!args.includes('netexec')) continue;
    const i = args.findIndex((a) => a === '--http-port' || a.startsWith('--http-port='));
    const value = i < 0 ? '8080' : args[i]!.includes('=') ? args[i]!.split('=')[1] : args[i + 1];
    out.push({ port: Number(value), hostname });
  }
  return out;
}
