import type { ProbeObservation } from './probe.ts';
import type { Inventory } from './workload.ts';

/** One tenant of `udn-demo tenants`: its rollout, its addresses and its own east/west check. */
export interface TenantOutcome {
  namespace: string;
  subnet: string;
  state: 'pending' | 'ready' | 'failed';
  /** Why the tenant's rollout or east/west check failed for good. */
  failure?: string;
  /** webserver, vm-a and vm-b with their UDN addresses and nodes. */
  addresses: Inventory;
  /** vm-a reaches the tenant's webserver over the tenant's UDN. */
  eastWest?: ProbeObservation;
  startedAt: string | null;
  endedAt: string | null;
}

/** Probed pairs of tenants: exact counts, and the evidence of those that did not pass (capped). */
export interface PairTally {
  pairs: number;
  passed: number;
  failed: number;
  inconclusive: number;
  /** Pairs that did not pass, with their evidence; passing pairs are counted, not listed. */
  exceptions: ProbeObservation[];
  /** Pairs that did not pass and are not listed in `exceptions` (the probing tenants' child workflows hold them). */
  omitted: number;
  /** One passing pair's evidence, to show what a pass rests on. */
  sample?: ProbeObservation;
}

/** Every ordered pair of ready tenants: the first's vm-a must not reach the second's vm-b. */
export interface IsolationSummary extends PairTally {
  settled: number;
  /** A tenant whose probes could not run at all (its child failed for good): its pairs count as inconclusive. */
  errors: { from: string; message: string }[];
  concurrency: number;
}

export interface PhaseTimes {
  startedAt: string | null;
  endedAt: string | null;
}

/** The result contract of TenantsWorkflow (the CLI and the scale benchmark read exactly this). */
export interface TenantsResult {
  workflowId: string;
  runId: string;
  status: 'running' | 'passed' | 'failed';
  phase: 'cluster' | 'rollout' | 'isolation' | 'done';
  tenants: TenantOutcome[];
  isolation: IsolationSummary;
  phases: { cluster: PhaseTimes; rollout: PhaseTimes; isolation: PhaseTimes };
  /** Set when the run failed with an error rather than a verdict (no cluster, bad input). */
  failure?: string;
  /** The error's type (e.g. `InvalidInput`, `ToolMissing`), when `failure` is set. */
  failureType?: string;
}
