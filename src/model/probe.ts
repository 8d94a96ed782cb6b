import type { WorkloadRef } from './workload.ts';

export type ProbeProtocol = 'http' | 'icmp' | 'tcp';

export type ProbeTarget = { workload: WorkloadRef } | { host: string };

/** One reachability question, as data (DESIGN.md principle 4). */
export interface Probe {
  from: WorkloadRef;
  to: ProbeTarget;
  protocol: ProbeProtocol;
  port?: number;
  path?: string;
  expect: 'allow' | 'deny';
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
}
