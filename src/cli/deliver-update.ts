import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { InfrastructureError, InputError, errorMessage } from '../errors.ts';

const ANSWER_WITHIN_MS = 15_000;

/**
 * Sends a person's answer to a waiting run as an update: refused by the workflow's validator
 * (another step, not waiting) is their mistake, exit 2; no worker within the deadline, exit 3.
 */
export function deliverUpdate<R>(client: Client, workflowId: string, send: () => Promise<R>): Promise<R> {
  return client.connection.withDeadline(Date.now() + ANSWER_WITHIN_MS, send).catch((err: unknown) => {
    if (err instanceof WorkflowUpdateFailedError) throw new InputError(`run ${workflowId}: ${errorMessage(err.cause ?? err)}`);
    throw new InfrastructureError(`run ${workflowId}: no worker took it within ${ANSWER_WITHIN_MS / 1000} s (${errorMessage(err)}); is \`udn-demo worker\` running?`);
  });
}
