import type { WorkloadRef } from './workload.ts';

export type ProbeProtocol = 'http' | 'icmp' | 'tcp';

/**
 * Where outside the cluster a command runs: `client`, the talk's client container (it enters by
 * the load balancer's address); `host`, the machine that runs the cluster (it enters by a node's
 * address and NodePort).
 */
export type OutsideRole = 'client' | 'host';

/** A probe run outside the cluster, in one of its roles. */
export interface OutsideSource {
  outside: OutsideRole;
}
export type ProbeSource = WorkloadRef | OutsideSource;

/** How a probe enters a Service: its ClusterIP, a node's InternalIP and the NodePort, or the load balancer's ingress IP. */
export type ServiceVia = 'cluster-ip' | 'node-port' | 'load-balancer';
export interface ServiceRef {
  namespace: string;
  name: string;
}

export type ProbeTarget = { workload: WorkloadRef } | { host: string } | { service: ServiceRef; via: ServiceVia };

export function isOutside(s: ProbeSource): s is OutsideSource {
  return 'outside' in s;
}

/** `green/vm-a`, or `outside client`. */
export function sourceName(s: ProbeSource): string {
  return isOutside(s) ? `outside ${s.outside}` : `${s.namespace}/${s.name}`;
}

/** `green/webserver`, `www.google.com`, `red-namespace/webapp via cluster-ip`. */
export function targetName(t: ProbeTarget): string {
  if ('workload' in t) return `${t.workload.namespace}/${t.workload.name}`;
  if ('host' in t) return t.host;
  return `${t.service.namespace}/${t.service.name} via ${t.via}`;
}

/** One reachability question, as data (docs/ARCHITECTURE.md, "Scenarios are data"). */
export interface Probe {
  from: ProbeSource;
  to: ProbeTarget;
  protocol: ProbeProtocol;
  port?: number;
  path?: string;
  expect: 'allow' | 'deny';
  /** For http: what the answer must be (agnhost's `/hostname` answers its pod's name); another answer fails. */
  body?: string;
  /** For http: text the answer must contain (python's directory listing); an answer without it fails. */
  bodyContains?: string;
  /** Why the network model expects `expect` (absent in runs recorded before it existed). */
  why?: string;
}

/** What a probe saw. `reached` is the fact; the verdict compares it with `expect`. */
export interface ProbeObservation {
  probe: Probe;
  reached: boolean;
  /** e.g. `HTTP 200 "webserver"`, `0% packet loss`, `connect timeout after 2 s`. */
  detail: string;
  verdict: 'pass' | 'fail' | 'inconclusive';
  startedAt: string;
  durationMs: number;
  /** Tries it took, inconclusive ones included. */
  attempts: number;
  /** For a deny: from the probe's start until the block was first seen (a policy being programmed). */
  settledAfterMs?: number;
  /** Raw output the verdict rests on, trimmed. */
  evidence: string;
  /** Where the probe went: the nodes of source and target, and whether it crossed between them. */
  path?: ProbePath;
}

/** A workload-to-workload probe's route through the cluster. */
export interface ProbePath {
  fromNode: string;
  toNode: string;
  /** Between nodes, OVN-Kubernetes carries the packet in a GENEVE tunnel. */
  crossedNodes: boolean;
}
