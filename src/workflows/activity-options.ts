import { proxyActivities, type ActivityOptions, type RetryPolicy } from '@temporalio/workflow';
import { NON_RETRYABLE_TYPES, type DemoActivities, type Instrumented } from '../model/activities.ts';
import type { StepId } from '../model/result.ts';
import { stepDef } from '../scenarios/index.ts';
import type { DemoInput } from './demo-input.ts';

/**
 * Every activity heartbeats every 2 s (instrument() keeps it alive), so a worker that died is
 * noticed after this long, whatever step it was in: the bound on resuming a step after a crash.
 * Lower would mistake a worker whose event loop stalls for a few seconds (a shared, busy machine)
 * for a dead one and run its activity twice.
 */
const HEARTBEAT_TIMEOUT = '10s';

export function stepTimeoutSeconds(input: Pick<DemoInput, 'timeouts'>, id: StepId): number {
  return (input.timeouts as Partial<Record<string, number>>)[id] ?? stepDef(id).timeoutSeconds;
}

export function activityOptions(input: Pick<DemoInput, 'timeouts' | 'retry'>, id: StepId, summary: string): ActivityOptions {
  return {
    summary: `${id}: ${summary}`,
    // A grace beyond the step's own limit, so an activity's own deadline (with its reason) fires first.
    startToCloseTimeout: `${stepTimeoutSeconds(input, id) + 30}s`,
    heartbeatTimeout: HEARTBEAT_TIMEOUT,
    retry: retryPolicy(input),
  };
}

function retryPolicy(input: Pick<DemoInput, 'retry'>): RetryPolicy {
  return {
    initialInterval: `${input.retry.initialIntervalSeconds}s`,
    maximumInterval: `${input.retry.maximumIntervalSeconds}s`,
    backoffCoefficient: 2,
    maximumAttempts: input.retry.maximumAttempts,
    nonRetryableErrorTypes: [...NON_RETRYABLE_TYPES],
  };
}

/** The cleanup of a run (a cancelled run's objects, its hold on the cluster): not a step of the demo, so its own limit; it heartbeats while namespaces go. */
export function cleanupActivities(input: Pick<DemoInput, 'retry'>, summary = 'cleanup of the cancelled run'): Instrumented<DemoActivities> {
  return proxyActivities<Instrumented<DemoActivities>>({ summary, startToCloseTimeout: '15m', heartbeatTimeout: HEARTBEAT_TIMEOUT, retry: retryPolicy(input) });
}

/** Activities proxied with one step's options; the summary names the step in the Web UI. */
export function activitiesFor(input: Pick<DemoInput, 'timeouts' | 'retry'>, id: StepId, summary: string): Instrumented<DemoActivities> {
  return proxyActivities<Instrumented<DemoActivities>>(activityOptions(input, id, summary));
}
