import type { StepId } from '../config/steps.ts';

export type StepState = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped';

export interface StepRecord {
  id: StepId;
  title: string;
  state: StepState;
  startedAt: string | null;
  endedAt: string | null;
  attempts: number;
  /** One line: what the step did or why it failed. */
  outcome: string;
}

export type CheckId =
  | 'east-west'
  | 'egress'
  | 'live-migration'
  | 'isolation-blue-to-green'
  | 'isolation-green-to-blue'
  | 'netpol-baseline-9000'
  | 'netpol-blocks-9000'
  | 'netpol-allows-9001';

/** One probe of a check, as the reachability matrix shows it. */
export interface ProbeOutcome {
  /** `namespace/name` */
  from: string;
  /** `namespace/name`, or an external host */
  to: string;
  protocol: 'http' | 'icmp' | 'tcp';
  port?: number;
  expect: 'allow' | 'deny';
  reached: boolean;
  verdict: 'pass' | 'fail' | 'inconclusive';
}

/** A claim of the demo with the evidence that proves or refutes it. */
export interface CheckResult {
  id: CheckId;
  description: string;
  expected: string;
  observed: string;
  passed: boolean;
  evidence: string[];
  /** The probes behind a reachability check. */
  probes?: ProbeOutcome[];
}

/** What the captures say about one connection across a migration; null where not measured. */
export interface ConnectionFigures {
  survived: boolean | null;
  /** The longest outage, at `resolutionMs`. */
  downtimeMs: number | null;
  resolutionMs: number | null;
  retransmits: number | null;
  throughputBeforeGbps: number | null;
  throughputAfterGbps: number | null;
}

export interface MigrationSummary extends ConnectionFigures {
  vmi: string;
  sourceNode: string;
  targetNode: string;
  ipBefore: string;
  ipAfter: string;
  startedAt: string;
  endedAt: string;
  /** The raw captures (iperf3 JSON, ping -D log) on the worker's disk. */
  captures: string[];
}

export type RunStatus = 'running' | 'passed' | 'failed' | 'cancelled';

/** The result contract: the CLI, reports and tests read exactly this. */
export interface DemoResult {
  workflowId: string;
  runId: string;
  status: RunStatus;
  steps: StepRecord[];
  checks: CheckResult[];
  migration: MigrationSummary | null;
  /** Set when a step failed with an error rather than a check verdict. */
  failure?: { step: StepId; type: string; message: string };
}
