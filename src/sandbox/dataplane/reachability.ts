import type { V1NetworkPolicy } from '@kubernetes/client-node';
import { outsideHost, type OutsideHost } from './internet.ts';
import { ingressDecision, type PolicySubject, type Protocol } from './netpol.ts';
import { ipInCidr, type Labels } from './selectors.ts';
import { frontendAt, pickBackend, type Frontend, type ServiceRoute } from './services.ts';

/**
 * The network of a host outside the cluster beside kind's nodes (the talk's client container):
 * it reaches the nodes' addresses and MetalLB's, never a pod's or a UDN's.
 */
export const OUTSIDE_NETWORK = 'outside';

/** A pod or VM as the data plane sees it: where it sits on which network, and what it serves. */
export interface Endpoint {
  namespace: string;
  name: string;
  /** Host: the host outside the cluster, on OUTSIDE_NETWORK. */
  kind: 'Pod' | 'VirtualMachineInstance' | 'Host';
  labels: Labels;
  /** Its primary network's id (`namespace/udn`, `cluster.udn.NAME`), `default` for the cluster network, or OUTSIDE_NETWORK. */
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
  /** Networks the cluster router wrongly routes between, the others staying apart (fault cudnLeak: the CUDNs). */
  leaking?: readonly string[];
  /** Services as OVN-Kubernetes programs them, each on its own network's load balancers. */
  services?: readonly ServiceRoute[];
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
  /** The port that answered, after a load balancer's DNAT to its endpoint's target port. */
  port?: number;
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
  if (from.network === OUTSIDE_NETWORK) return fromOutside(world, from, address, protocol, port);
  if (from.switchingOver) return { kind: 'dropped', reason: `${ref(from)} is switching over to its new node` };
  const src = { namespace: from.namespace, labels: from.labels, ip: from.ip };
  // The sender's own switch holds the load balancers of its network's services, and only those.
  const vip = frontendAt((world.services ?? []).filter((s) => s.network === from.network), address, protocol, port, { inside: true, node: false });
  if (vip) return balance(world, src, vip, { ttl: 64, path: `${vip.via} load-balanced on ${from.network}`, source: from.ip });
  if (onNetwork(world, from.network, address)) return deliver(world, src, from.network, address, protocol, port, { ttl: 64, path: 'on-link', source: from.ip });
  const other = Object.keys(world.subnets).find((n) => n !== from.network && joined(world, from.network, n) && onNetwork(world, n, address));
  if (other) return deliver(world, src, other, address, protocol, port, { ttl: 63, path: `routed from ${from.network} by the cluster router`, source: from.ip });
  if (!world.egress) return { kind: 'dropped', reason: `${address} is off-link; the gateway of ${from.network} drops traffic leaving the cluster (egress disabled)` };
  const snat = world.nodeAddresses[from.node] ?? from.ip;
  const path = `off-link: out through the gateway of ${from.network} and node ${from.node}, SNAT to ${snat}`;
  const host = outsideHost(world.outside, address);
  if (!host) return { kind: 'dropped', reason: `${path}; nothing outside the cluster answers for ${address}` };
  return answerOutside(host, snat, host.ttl ?? 62, protocol, port, path);
}

/**
 * A flow from a host beside kind's nodes: a node's address (ping, its node ports) or a MetalLB
 * address (BGP brings it to a node) meets the node's gateway router, which load-balances to the
 * service's endpoints on its network; past the nodes lies only the emulated internet.
 */
function fromOutside(world: World, from: Endpoint, address: string, protocol: Protocol, port: number | undefined): Outcome {
  const node = Object.entries(world.nodeAddresses).find(([, ip]) => ip === address)?.[0];
  const vip = frontendAt(world.services ?? [], address, protocol, port, { inside: false, node: node !== undefined });
  const src = { namespace: '', labels: {}, ip: from.ip };
  if (vip) {
    const entry = node ?? Object.keys(world.nodeAddresses)[0]!;
    return balance(world, src, vip, { ttl: 62, path: `${vip.via} load-balanced by node ${entry}'s gateway router`, source: world.nodeAddresses[entry]! });
  }
  if (node) {
    const answer = { answeredBy: `node ${node}`, source: from.ip, ttl: 64 };
    return protocol === 'ICMP' ? { kind: 'reached', ...answer, reason: `answered by node ${node}` } : { kind: 'refused', ...answer, reason: `nothing listens on node ${node} port ${port}` };
  }
  const host = outsideHost(world.outside, address);
  if (!host) return { kind: 'dropped', reason: `nothing beside the cluster's nodes or beyond them answers for ${address} (pod and UDN addresses are not routed from outside)` };
  return answerOutside(host, from.ip, host.ttl ?? 63, protocol, port, 'outside the cluster');
}

function answerOutside(host: OutsideHost, source: string, ttl: number, protocol: Protocol, port: number | undefined, path: string): Outcome {
  const answer = { outside: host, answeredBy: `outside host ${host.ip} (${host.name})`, source, ttl };
  if (protocol !== 'ICMP' && !host.listening.some((l) => l.port === port)) {
    return { kind: 'refused', ...answer, reason: `nothing listens on ${answer.answeredBy} port ${port}; ${path}` };
  }
  return { kind: 'reached', ...answer, reason: `answered by ${answer.answeredBy}; ${path}` };
}

/** A load balancer with no endpoint rejects (OVN-Kubernetes sets reject on its LBs): the client sees a reset. */
function balance(world: World, src: PolicySubject, vip: Frontend, route: Route): Outcome {
  const backend = pickBackend(vip.port);
  if (!backend) return { kind: 'refused', answeredBy: `service ${vip.service.namespace}/${vip.service.name}`, source: route.source, ttl: route.ttl, reason: `${route.path}: no ready endpoint, the load balancer rejects` };
  return deliver(world, src, vip.service.network, backend.ip, vip.port.protocol, backend.port, { ...route, path: `${route.path} to ${backend.ip}:${backend.port}` });
}

function joined(world: World, a: string, b: string): boolean {
  return world.networksJoined || ((world.leaking ?? []).includes(a) && (world.leaking ?? []).includes(b));
}

function onNetwork(world: World, network: string, address: string): boolean {
  return (world.subnets[network] ?? []).some((c) => ipInCidr(address, c));
}

interface Route {
  ttl: number;
  path: string;
  /** The sender's address as the target sees it. */
  source: string;
}

/** The last hop: the host on `network` that holds `address`, behind its NetworkPolicies. */
function deliver(world: World, src: PolicySubject, network: string, address: string, protocol: Protocol, port: number | undefined, route: Route): Outcome {
  const target = world.endpoints.find((e) => e.network === network && e.ip === address);
  if (!target) return { kind: 'dropped', reason: `no host ${address} on ${network} (${route.path})` };
  if (target.switchingOver) return { kind: 'dropped', reason: `${ref(target)} is switching over to its new node` };
  const policy = ingressDecision(world.policies, world.namespaceLabels, src, { namespace: target.namespace, labels: target.labels, ip: target.ip }, protocol, port);
  if (!policy.allowed) return { kind: 'dropped', reason: policy.reason };
  const answer = { target, answeredBy: ref(target), source: route.source, ttl: route.ttl, ...(port === undefined ? {} : { port }) };
  if (protocol !== 'ICMP' && !target.listening.some((l) => l.port === port)) {
    return { kind: 'refused', ...answer, reason: `nothing listens on ${ref(target)} port ${port} on ${network} (${route.path})` };
  }
  return { kind: 'reached', ...answer, reason: `answered by ${ref(target)} on ${network} (${route.path}); ${policy.reason}` };
}

function ref(e: Endpoint): string {
  return `${e.namespace}/${e.name}`;
}
