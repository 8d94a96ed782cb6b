import { WorkflowFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { InfrastructureError, errorMessage } from '../../errors.ts';
import type { DemoResult } from '../../model/result.ts';
import { progressQuery } from '../../workflows/queries.ts';
import { serverUnavailable, untilServerAnswers } from '../server-outage.ts';

/**
 * The result of a closed run, waiting for it to close. A run that failed in a step carries its
 * result in the failure's details (the step tracker puts it there), so a failed run reports as
 * fully as a passed one. While the server is unreachable (a restart), it keeps waiting: the run
 * goes on regardless, and giving up would also stop a worker that shares this process.
 */
export async function closedResult(handle: WorkflowHandle, opts: { say?: (line: string) => void } = {}): Promise<DemoResult> {
  return untilServerAnswers(handle.workflowId, 'run', () => resultOf(handle), opts.say);
}

async function resultOf(handle: WorkflowHandle): Promise<DemoResult> {
  try {
    return (await handle.result()) as DemoResult;
  } catch (err) {
    if (err instanceof WorkflowFailedError && err.cause instanceof ApplicationFailure && err.cause.type === 'StepFailed') {
      return err.cause.details?.[0] as DemoResult;
    }
    // A cancelled run ends without a result; its final state is what the progress query replays.
    if (err instanceof WorkflowFailedError && err.cause instanceof CancelledFailure) {
      const progress = await handle.query(progressQuery).catch(() => undefined);
      if (progress) return progress;
      throw new InfrastructureError(`run ${handle.workflowId} was cancelled; reading its final state needs a worker (\`udn-demo worker\`), or see \`udn-demo list\``);
    }
    if (serverUnavailable(err)) throw err;
    throw new InfrastructureError(`run ${handle.workflowId} ended without a result: ${errorMessage(err instanceof WorkflowFailedError && err.cause ? err.cause : err)}`);
  }
}

/** Progress of an open run; undefined when no worker answers within the deadline. */
export async function openProgress(client: Client, handle: WorkflowHandle, deadlineMs = 3000): Promise<DemoResult | undefined> {
  try {
    return await client.connection.withDeadline(Date.now() + deadlineMs, () => handle.query(progressQuery));
  } catch {
    return undefined;
  }
}
