import type { V1NetworkPolicy, V1NetworkPolicyPeer, V1NetworkPolicyPort } from '@kubernetes/client-node';
import { ipInCidr, selectorMatches, type Labels } from './selectors.ts';

export type Protocol = 'TCP' | 'UDP' | 'SCTP' | 'ICMP';

export interface PolicySubject {
  namespace: string;
  labels: Labels;
  ip: string;
}

export interface IngressDecision {
  allowed: boolean;
  /** Which policies decided, for the evidence. */
  reason: string;
}

/**
 * NetworkPolicy ingress semantics as the API defines them: a workload no policy selects (for
 * Ingress) accepts everything; once selected, traffic is allowed only if some rule of some
 * selecting policy matches both its source and its port. Port rules name TCP/UDP/SCTP only, so
 * ICMP passes only a rule without ports.
 */
export function ingressDecision(
  policies: readonly V1NetworkPolicy[],
  namespaceLabels: (ns: string) => Labels,
  src: PolicySubject,
  dst: PolicySubject,
  protocol: Protocol,
  port?: number,
): IngressDecision {
  const selecting = policies.filter(
    (p) => p.metadata?.namespace === dst.namespace && selectorMatches(p.spec?.podSelector, dst.labels) && appliesToIngress(p),
  );
  if (selecting.length === 0) return { allowed: true, reason: `no NetworkPolicy selects ${dst.namespace} workload` };
  const names = selecting.map((p) => p.metadata?.name).join(', ');
  for (const p of selecting) {
    for (const rule of p.spec?.ingress ?? []) {
      const fromOk = !rule._from?.length || rule._from.some((peer) => peerMatches(peer, p.metadata!.namespace!, namespaceLabels, src));
      const portOk = !rule.ports?.length || rule.ports.some((rp) => portMatches(rp, protocol, port));
      if (fromOk && portOk) return { allowed: true, reason: `allowed by NetworkPolicy ${p.metadata?.name}` };
    }
  }
  const what = protocol === 'ICMP' ? 'ICMP' : `${protocol}/${port}`;
  return { allowed: false, reason: `${what} dropped: selected by NetworkPolicy ${names}, no ingress rule allows it` };
}

function appliesToIngress(p: V1NetworkPolicy): boolean {
  const types = p.spec?.policyTypes;
  return !types || types.length === 0 || types.includes('Ingress');
}

function peerMatches(peer: V1NetworkPolicyPeer, policyNamespace: string, namespaceLabels: (ns: string) => Labels, src: PolicySubject): boolean {
  if (peer.ipBlock) {
    return ipInCidr(src.ip, peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((c) => ipInCidr(src.ip, c));
  }
  const nsOk = peer.namespaceSelector ? selectorMatches(peer.namespaceSelector, namespaceLabels(src.namespace)) : src.namespace === policyNamespace;
  const podOk = peer.podSelector ? selectorMatches(peer.podSelector, src.labels) : true;
  return nsOk && podOk;
}

function portMatches(rp: V1NetworkPolicyPort, protocol: Protocol, port: number | undefined): boolean {
  if (protocol === 'ICMP' || port === undefined) return false;
  if ((rp.protocol ?? 'TCP') !== protocol) return false;
  if (rp.port === undefined) return true;
  // Named ports would need the container's port list; the demo's policy uses numbers.
  if (typeof rp.port !== 'number') return false;
  return rp.endPort === undefined ? rp.port === port : port >= rp.port && port <= rp.endPort;
}
