import type { ServiceAddresses } from './activities.ts';
/** A step of a scenario (the scenario tables in src/scenarios name them). */
export type StepId = string;
/** A claim of a scenario. */
export type CheckId = string;

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

/** One probe of a check, as the reachability matrix shows it. */
export interface ProbeOutcome {
  /** `namespace/name` */
  from: string;
  /** `namespace/name`, or an external host */
  to: string;
  protocol: 'http' | 'icmp' | 'tcp';
  port?: number;
  expect: 'allow' | 'deny';
  /** Why the network model expects it. */
  why?: string;
  reached: boolean;
  verdict: 'pass' | 'fail' | 'inconclusive';
}

/** A claim of the demo with the evidence that proves or refutes it. */
export interface CheckResult {
  id: CheckId;
  /** The step that decided it: checks of one step share a reachability matrix in reports. */
  group?: StepId;
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
  /** The Services the run probed, as the cluster gave them (absent in runs without any). */
  services?: ServiceAddresses[];
  /** Set when a step failed with an error rather than a check verdict. */
  failure?: { step: StepId; type: string; message: string };
  /** Present while a failed step waits for an operator. */
  awaiting?: AwaitingDecision;
  /** Presenter mode only: the step the run waits before (for `udn-demo next`), null while a step runs. */
  presenter?: { waitingBefore: StepId } | null;
  /** Every operator decision (and expired deadline), in order; absent when there was none. */
  decisions?: DecisionRecord[];
  /** Present when the run was cancelled. */
  cleanup?: CleanupRecord;
}
