import type { WorkloadRef } from './workload.ts';

export type ProbeProtocol = 'http' | 'icmp' | 'tcp';

export type ProbeTarget = { workload: WorkloadRef } | { host: string };

/** One reachability question, as data (docs/ARCHITECTURE.md, "Scenarios are data"). */
export interface Probe {
  from: WorkloadRef;
  to: ProbeTarget;
  protocol: ProbeProtocol;
  port?: number;
  path?: string;
  expect: 'allow' | 'deny';
  /** For http: what the answer must be (agnhost's `/hostname` answers its pod's name); another answer fails. */
  body?: string;
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
