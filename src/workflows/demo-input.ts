import type { Config, KindConfig, OperatorConfig, Ordering, RetryConfig, ScenarioConfig } from '../config/schema.ts';
import type { StepId } from '../model/result.ts';
import type { EnsureClusterRequest, PreflightRequest } from '../model/activities.ts';
import type { ProviderName } from '../model/cluster.ts';
import type { ScenarioId } from '../scenarios/compose.ts';

/** What DemoWorkflow is started with: plain config, no secrets (they travel as references). */
export interface DemoInput {
  provider: ProviderName;
  clusterName: string;
  scenario: ScenarioConfig;
  /** Which of the talk's scenarios, in order; absent (runs before there were two) is namespace-isolation. */
  scenarios?: ScenarioId[];
  timeouts: Partial<Record<StepId, number>>;
  retry: RetryConfig;
  /** `fast` runs every step as soon as what it needs is done; absent (older runs) is `narrative`. */
  ordering?: Ordering;
  /** Absent in runs started before operator decisions existed. */
  operator?: OperatorConfig;
  /** For the sandbox provider: its timings and faults. */
  sandbox?: Config['sandbox'];
  /** For the kind provider: the pinned ovn-kubernetes and KubeVirt. */
  kind?: KindConfig;
  /** Presenter mode: the run waits for the presenter before each step (narrative order). */
  presenter?: boolean;
  /** The server has the UdnDemoStatus search attribute, so the run keeps it set (absent in older runs: never set). */
  statusAttribute?: boolean;
  /** An ended run still holding the cluster's Lease, which this run may replace (`--take-over`). */
  takeOver?: string;
}

export function demoInputFromConfig(config: Pick<Config, 'cluster' | 'scenario' | 'timeouts' | 'retry' | 'operator' | 'ordering' | 'sandbox'>): DemoInput {
  return {
    provider: config.cluster.provider,
    clusterName: config.cluster.name,
    scenario: config.scenario,
    timeouts: config.timeouts,
    retry: config.retry,
    operator: config.operator,
    ordering: config.ordering,
    ...(config.cluster.provider === 'sandbox' ? { sandbox: config.sandbox } : { kind: config.cluster.kind }),
  };
}

/** What preflight checks for this input's provider (kind's pins decide whether Go is needed). */
export function preflightRequest(input: Pick<DemoInput, 'provider' | 'clusterName' | 'kind'>): PreflightRequest {
  return { provider: input.provider, clusterName: input.clusterName, ...(input.kind ? { kind: input.kind } : {}) };
}

/** The cluster this input names, with its provider's options (the sandbox's timings, kind's pins). */
export function ensureClusterRequest(input: Pick<DemoInput, 'provider' | 'clusterName' | 'sandbox' | 'kind'>): EnsureClusterRequest {
  return { provider: input.provider, clusterName: input.clusterName, ...(input.sandbox ? { sandbox: input.sandbox } : {}), ...(input.kind ? { kind: input.kind } : {}) };
}
