import type { V1NetworkPolicy } from '@kubernetes/client-node';
import { ingressDecision, type Protocol } from './netpol.ts';
import { createHash } from 'node:crypto';
import { ipInCidr, ipv4ToNumber, type Labels } from './selectors.ts';

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
  /** A VM whose memory is being copied to another node right now. */
  migrating: boolean;
  /** A VM resuming on its new node at the end of a migration: its network is cut for a moment. */
  switchingOver?: boolean;
  /** TCP ports with something listening; `hostname` is what agnhost's /hostname answers. */
  listening: ReadonlyArray<{ port: number; hostname?: string }>;
}

export interface World {
  endpoints: readonly Endpoint[];
  policies: readonly V1NetworkPolicy[];
  namespaceLabels: (ns: string) => Labels;
  /** Each network's subnets: an address inside the sender's own subnet is on-link, never routed out. */
  subnets: Readonly<Record<string, readonly string[]>>;
  /** Whether workloads may leave the cluster through their network's gateway. */
  egress: boolean;
}

export type Outcome =
  /** Packets arrive and something answers. */
  | { kind: 'reached'; target?: Endpoint; reason: string }
  /** The host answers, but nothing listens on the port (TCP reset). */
  | { kind: 'refused'; target: Endpoint; reason: string }
  /** Packets vanish: another network, a policy drop, no such host. The sender sees a timeout. */
  | { kind: 'dropped'; reason: string };

/**
 * One packet flow through the emulated OVN-Kubernetes. A primary UDN is its own routing domain:
 * an address is looked up only among the sender's own network, so the same address on another
 * UDN is invisible (and overlapping subnets stay isolated). A public address leaves through the
 * gateway, and only with egress allowed.
 */
export function reach(world: World, from: Endpoint, address: string, protocol: Protocol, port?: number): Outcome {
  if (from.switchingOver) return { kind: 'dropped', reason: `${from.namespace}/${from.name} is switching over to its new node` };
  const target = world.endpoints.find((e) => e.network === from.network && e.ip === address);
  if (!target) {
    const others = world.endpoints.filter((e) => e.ip === address && e.network !== from.network);
    if (others.length > 0) {
      return { kind: 'dropped', reason: `${address} is on network ${others[0]!.network}, not on ${from.network}: isolated` };
    }
    if ((world.subnets[from.network] ?? []).some((c) => ipInCidr(address, c))) {
      return { kind: 'dropped', reason: `no host ${address} on ${from.network}` };
    }
    if (isPrivate(address)) return { kind: 'dropped', reason: `no host ${address} on ${from.network}, and private addresses are not routed out` };
    if (!world.egress) return { kind: 'dropped', reason: `egress from ${from.network} is disabled in the sandbox` };
    return { kind: 'reached', reason: `${address} is outside the cluster; egress through the gateway` };
  }
  if (target.switchingOver) return { kind: 'dropped', reason: `${target.namespace}/${target.name} is switching over to its new node` };
  const policy = ingressDecision(
    world.policies,
    world.namespaceLabels,
    { namespace: from.namespace, labels: from.labels, ip: from.ip },
    { namespace: target.namespace, labels: target.labels, ip: target.ip },
    protocol,
    port,
  );
  if (!policy.allowed) return { kind: 'dropped', reason: policy.reason };
  if (protocol === 'ICMP') return { kind: 'reached', target, reason: `same network ${from.network}; ${policy.reason}` };
  if (!target.listening.some((l) => l.port === port)) {
    return { kind: 'refused', target, reason: `nothing listens on ${target.namespace}/${target.name} port ${port}` };
  }
  return { kind: 'reached', target, reason: `same network ${from.network}; ${policy.reason}` };
}

const PRIVATE = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16', '127.0.0.0/8'];

/** Private addresses are never routed out of the cluster; anything else is "the internet". */
function isPrivate(ip: string): boolean {
  return PRIVATE.some((c) => ipInCidr(ip, c));
}

/**
 * The sandbox's DNS for names outside the cluster: each name gets a stable address in
 * 198.18.0.0/15 (reserved for benchmarking, never a real host), so output looks like the real
 * tools' without pretending to be a real host. `.invalid` names (RFC 2606) do not resolve.
 */
export function resolveName(host: string): string | undefined {
  if (ipv4ToNumber(host) !== undefined) return host;
  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/i.test(host) || host.toLowerCase().endsWith('.invalid')) return undefined;
  const digest = createHash('sha256').update(host.toLowerCase()).digest();
  return `198.${18 + (digest[0]! & 1)}.${digest[1]}.${1 + (digest[2]! % 254)}`;
}
