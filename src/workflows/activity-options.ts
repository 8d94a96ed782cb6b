import { proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import { NON_RETRYABLE_TYPES, type DemoActivities, type Instrumented } from '../activities/types.ts';
import { STEP_CATALOGUE, type StepId } from '../config/steps.ts';
import type { DemoInput } from './demo-input.ts';

/** Steps that wait on the cluster for minutes heartbeat, so a dead worker is noticed in seconds, not at the timeout. */
const HEARTBEATING: ReadonlySet<StepId> = new Set([
  'ensure-cluster',
  'wait-green-ready',
  'check-east-west',
  'check-egress',
  'live-migration',
  'wait-blue-ready',
  'check-isolation',
  'check-netpol-baseline',
  'check-netpol-blocks',
  'apply-new-webserver',
  'check-netpol-allows',
]);
const HEARTBEAT_TIMEOUT = '30s';

export function stepTimeoutSeconds(input: Pick<DemoInput, 'timeouts'>, id: StepId): number {
  return input.timeouts[id] ?? STEP_CATALOGUE.find((s) => s.id === id)!.timeoutSeconds;
}

export function activityOptions(input: Pick<DemoInput, 'timeouts' | 'retry'>, id: StepId, summary: string): ActivityOptions {
  return {
    summary: `${id}: ${summary}`,
    // A grace beyond the step's own limit, so an activity's own deadline (with its reason) fires first.
    startToCloseTimeout: `${stepTimeoutSeconds(input, id) + 30}s`,
    ...(HEARTBEATING.has(id) ? { heartbeatTimeout: HEARTBEAT_TIMEOUT } : {}),
    retry: {
      initialInterval: `${input.retry.initialIntervalSeconds}s`,
      maximumInterval: `${input.retry.maximumIntervalSeconds}s`,
      backoffCoefficient: 2,
      maximumAttempts: input.retry.maximumAttempts,
      nonRetryableErrorTypes: [...NON_RETRYABLE_TYPES],
    },
  };
}

/** The cleanup of a cancelled run: not a step of the demo, so its own limit; it heartbeats while namespaces go. */
export function cleanupActivities(input: Pick<DemoInput, 'retry'>): Instrumented<DemoActivities> {
  const { retry } = activityOptions({ ...input, timeouts: {} }, 'report', '');
  return proxyActivities<Instrumented<DemoActivities>>({ summary: 'cleanup of the cancelled run', startToCloseTimeout: '15m', heartbeatTimeout: HEARTBEAT_TIMEOUT, retry });
}

/** Activities proxied with one step's options; the summary names the step in the Web UI. */
export function activitiesFor(input: Pick<DemoInput, 'timeouts' | 'retry'>, id: StepId, summary: string): Instrumented<DemoActivities> {
  return proxyActivities<Instrumented<DemoActivities>>(activityOptions(input, id, summary));
}
