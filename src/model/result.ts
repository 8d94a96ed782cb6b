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

/** The demo's claims, in the seed's order (reports list them so, whatever order they were decided in). */
export const CHECK_IDS = [
  'east-west',
  'egress',
  'live-migration',
  'isolation-blue-to-green',
  'isolation-green-to-blue',
  'netpol-baseline-9000',
  'netpol-blocks-9000',
  'netpol-allows-9001',
] as const;
export type CheckId = (typeof CHECK_IDS)[number];

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

export type RunStatus = 'running' | 'waiting' | 'passed' | 'failed' | 'cancelled';

/** What an operator may answer a failed step with; `deadline` is what the run records when nobody did. */
export type DecisionAction = 'retry' | 'skip';

/** A failed step waiting for `udn-demo retry|skip|cancel`. */
export interface AwaitingDecision {
  step: StepId;
  /** The failure, as the step's activity reported it. */
  reason: string;
  since: string;
  /** When the run stops waiting and fails. */
  deadline: string;
}

export interface DecisionRecord {
  step: StepId;
  action: DecisionAction | 'deadline';
  reason: string;
  at: string;
}

/** What cancelling a run removed (in a scope the cancellation itself cannot interrupt). */
export interface CleanupRecord {
  removed: string[];
  /** Set when cleaning up failed; what is left must then be removed by `udn-demo teardown`. */
  error?: string;
}

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
  /** Present while a failed step waits for an operator. */
  awaiting?: AwaitingDecision;
  /** Every operator decision (and expired deadline), in order; absent when there was none. */
  decisions?: DecisionRecord[];
  /** Present when the run was cancelled. */
  cleanup?: CleanupRecord;
}
