import { ApplicationFailure, type Client } from '@temporalio/client';
import { connectClient } from '../client/connection.ts';
import type { TemporalConfig } from '../config/schema.ts';
import { errorMessage, firstLine } from '../errors.ts';
import { identify } from '../host/process-identity.ts';
import { judgeWorker, thisWorker, type HostFacts } from '../host/worker-identity.ts';

/** PendingActivityState STARTED: a worker has taken the attempt (SCHEDULED ones hold no worker). */
const STARTED = 2;

/**
 * The retry of a dead worker's attempt is due at once: the worker that fails it is polling.
 * Not zero: a zero delay is no delay given, and the retry policy's first interval (1 s) applies.
 */
const RETRY_AT_ONCE = '100ms';

/**
 * The failure a dead worker's attempt ends with: retryable (not among NON_RETRYABLE_TYPES), retried
 * at once, and carrying its attempt as instrument()'s failures do, so the step tracker counts it
 * like any other retryable failure if the retries run out.
 */
export function workerDied(attempt: number, worker: string): ApplicationFailure {
  return ApplicationFailure.create({
    type: 'WorkerDied',
    message: `the worker running attempt ${attempt} (${worker}) is dead: its process is gone; retried at once`,
    nextRetryDelay: RETRY_AT_ONCE,
    details: [{ attempt }],
  });
}

export interface ReaperContext {
  client: Client;
  taskQueue: string;
  log: (line: string) => void;
  here?: HostFacts;
  startTicksOf?: (pid: number) => number | undefined;
}

/**
 * Fails, by id, every started activity attempt on this task queue whose worker is provably dead
 * (judgeWorker), as `WorkerDied` with an immediate retry: the server cannot know the worker died
 * and would wait for the heartbeat timeout (10 s) and the first retry interval. Open workflows are
 * found through visibility, child workflows (`<run>/live-migration`) among them. Attempts whose
 * worker may be alive are left to the server's timeouts. Returns how many attempts it failed.
 */
export async function reapDeadAttempts(ctx: ReaperContext): Promise<number> {
  const here = ctx.here ?? thisWorker();
  const startTicksOf = ctx.startTicksOf ?? ((pid: number) => identify(pid)?.startTicks);
  const query = `TaskQueue = '${ctx.taskQueue.replace(/['\\]/g, '\\$&')}' AND ExecutionStatus = 'Running'`;
  let failed = 0;
  for await (const wf of ctx.client.workflow.list({ query })) {
    // A run that closed since the listing has nothing left to free.
    const described = await ctx.client.workflow.getHandle(wf.workflowId, wf.runId).describe().catch(() => undefined);
    let stickyReset = false;
    for (const a of described?.raw.pendingActivities ?? []) {
      const worker = a.lastWorkerIdentity ?? '';
      if (a.state !== STARTED || !a.activityId || judgeWorker(worker, here, startTicksOf) !== 'dead') continue;
      // The dead worker's sticky queue would otherwise get this run's next workflow task, and hold
      // it for the sticky schedule-to-start timeout (5 s). A reset costs a live sticky worker
      // nothing but a replay; failing to reset costs only those 5 s.
      stickyReset ||= await ctx.client.workflowService
        .resetStickyTaskQueue({ namespace: ctx.client.options.namespace, execution: { workflowId: wf.workflowId, runId: wf.runId } })
        .then(() => true, () => false);
      // By id, the server fails whichever attempt is current; it is this one unless the heartbeat
      // timeout fired and a retry started within the milliseconds since the describe above.
      try {
        await ctx.client.activity.fail({ workflowId: wf.workflowId, runId: wf.runId, activityId: a.activityId }, workerDied(a.attempt ?? 1, worker));
      } catch (err) {
        // It ended or timed out meanwhile: nothing left to free.
        ctx.log(`worker: ${wf.workflowId} activity ${a.activityType?.name} attempt ${a.attempt}: its worker ${worker} is dead, but the attempt could not be failed: ${firstLine(errorMessage(err))}`);
        continue;
      }
      failed++;
      ctx.log(`worker: failed ${wf.workflowId} activity ${a.activityType?.name} (id ${a.activityId}) attempt ${a.attempt} as WorkerDied: its worker ${worker} is dead; the retry is due at once`);
    }
  }
  return failed;
}

/**
 * Runs the reaper once, beside a worker that has started polling, on a connection of its own; a
 * failure to look is one line, never the worker's end (the server's timeouts still apply).
 */
export function reapInBackground(temporal: TemporalConfig, log: (line: string) => void): Promise<void> {
  return (async () => {
    const client = await connectClient(temporal);
    try {
      await reapDeadAttempts({ client, taskQueue: temporal.taskQueue, log });
    } finally {
      await client.connection.close();
    }
  })().catch((err: unknown) => log(`worker: could not look for attempts of dead workers (the server's timeouts will free them): ${firstLine(errorMessage(err))}`));
}
