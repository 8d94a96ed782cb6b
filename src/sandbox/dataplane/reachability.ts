import type { V1NetworkPolicy } from '@kubernetes/client-node';
import { outsideHost, type OutsideHost } from './internet.ts';
import { ingressDecision, type Protocol } from './netpol.ts';
import { ipInCidr, type Labels } from './selectors.ts';

/** A pod or VM as the data plane sees it: where it sits on which network, and what it serves. */
export interface Endpoint {
  namespace: string;
  name: string;
  kind: 'Pod' | 'VirtualMachineInstance';
  labels: Labels;
  /** `namespace/udn` of its primary network, or `default` for the cluster network. */
  network: string;
  ip: string;
  node: string;
  /** The MTU of its interface on that network. */
  mtu: number;
  /** A VM whose memory is being copied to another node right now. */
  migrating: boolean;
  /** A VM resuming on its new node at the end of a migration: its network is cut for a moment. */
  switchingOver?: boolean;
  /** How many times the data plane has reset its TCP connections: one opened before a reset is gone. */
  tcpResets?: number;
  /** TCP ports with something listening; `hostname` is what agnhost's /hostname answers. */
  listening: ReadonlyArray<{ port: number; hostname?: string }>;
}

export interface World {
  endpoints: readonly Endpoint[];
  policies: readonly V1NetworkPolicy[];
  namespaceLabels: (ns: string) => Labels;
  /** Each network's subnets: its switch delivers these on-link; everything else goes to its gateway. */
  subnets: Readonly<Record<string, readonly string[]>>;
  /** Each node's own address: what traffic leaving the cluster through it is SNATed to. */
  nodeAddresses: Readonly<Record<string, string>>;
  /** Whether the gateways let traffic leave the cluster. */
  egress: boolean;
  /** The cluster router also routes between the primary networks, which OVN-Kubernetes must never do (fault isolationLeak). */
  networksJoined: boolean;
  /** Hosts outside the cluster besides the emulated internet's own (tests add them). */
  outside: readonly OutsideHost[];
}

/** Something answered: a pod or VM in the cluster (`target`) or a host outside it (`outside`). */
export interface Answer {
  /** Reached: it answered (ICMP echo, or a TCP accept). Refused: it answered with a reset. */
  kind: 'reached' | 'refused';
  target?: Endpoint;
  outside?: OutsideHost;
  /** Who answered, for evidence: `green/webserver`, `outside host 192.168.0.5 (name)`. */
  answeredBy: string;
  /** The sender's address as the answerer saw it: its own, or its node's after SNAT. */
  source: string;
  /** The TTL the answer arrives with: 64 less the routers on its way. */
  ttl: number;
  reason: string;
}

/** Packets vanish: no host, a policy drop, a closed gateway. The sender sees a timeout. */
export type Outcome = Answer | { kind: 'dropped'; reason: string };

/**
 * One packet flow through the emulated OVN-Kubernetes, routed as it routes: an address inside
 * the sender's own network's subnets is on-link and looked up on that network alone (so the same
 * address on another network is never seen, and overlapping subnets stay isolated); anything
 * else goes to the network's gateway and leaves the cluster through the sender's node with SNAT,
 * to whatever outside answers for it. Isolation between networks is not a rule here: another
 * tenant's address is simply not routed to, and nothing outside holds it.
 */
export function reach(world: World, from: Endpoint, address: string, protocol: Protocol, port?: number): Outcome {
  if (from.switchingOver) return { kind: 'dropped', reason: `${ref(from)} is switching over to its new node` };
  if (onNetwork(world, from.network, address)) return deliver(world, from, from.network, address, protocol, port, { ttl: 64, path: 'on-link' });
  if (world.networksJoined) {
    const other = Object.keys(world.subnets).find((n) => n !== from.network && onNetwork(world, n, address));
    if (other) return deliver(world, from, other, address, protocol, port, { ttl: 63, path: `routed from ${from.network} by the cluster router` });
  }
  if (!world.egress) return { kind: 'dropped', reason: `${address} is off-link; the gateway of ${from.network} drops traffic leaving the cluster (egress disabled)` };
  const snat = world.nodeAddresses[from.node] ?? from.ip;
  const path = `off-link: out through the gateway of ${from.network} and node ${from.node}, SNAT to ${snat}`;
  const host = outsideHost(world.outside, address);
  if (!host) return { kind: 'dropped', reason: `${path}; nothing outside the cluster answers for ${address}` };
  const answer = { outside: host, answeredBy: `outside host ${host.ip} (${host.name})`, source: snat, ttl: host.ttl ?? 62 };
  if (protocol !== 'ICMP' && !host.listening.some((l) => l.port === port)) {
    return { kind: 'refused', ...answer, reason: `nothing listens on ${answer.answeredBy} port ${port}; ${path}` };
  }
  return { kind: 'reached', ...answer, reason: `answered by ${answer.answeredBy}; ${path}` };
}

function onNetwork(world: World, network: string, address: string): boolean {
  return (world.subnets[network] ?? []).some((c) => ipInCidr(address, c));
}

/** The last hop: the host on `network` that holds `address`, behind its NetworkPolicies. */
function deliver(world: World, from: Endpoint, network: string, address: string, protocol: Protocol, port: number | undefined, route: { ttl: number; path: string }): Outcome {
  const target = world.endpoints.find((e) => e.network === network && e.ip === address);
  if (!target) return { kind: 'dropped', reason: `no host ${address} on ${network} (${route.path})` };
  if (target.switchingOver) return { kind: 'dropped', reason: `${ref(target)} is switching over to its new node` };
  const policy = ingressDecision(
    world.policies,
    world.namespaceLabels,
    { namespace: from.namespace, labels: from.labels, ip: from.ip },
    { namespace: target.namespace, labels: target.labels, ip: target.ip },
    protocol,
    port,
  );
  if (!policy.allowed) return { kind: 'dropped', reason: policy.reason };
  const answer = { target, answeredBy: ref(target), source: from.ip, ttl: route.ttl };
  if (protocol !== 'ICMP' && !target.listening.some((l) => l.port === port)) {
    return { kind: 'refused', ...answer, reason: `nothing listens on ${ref(target)} port ${port} on ${network} (${route.path})` };
  }
  return { kind: 'reached', ...answer, reason: `answered by ${ref(target)} on ${network} (${route.path}); ${policy.reason}` };
}

function ref(e: Endpoint): string {
  return `${e.namespace}/${e.name}`;
}
