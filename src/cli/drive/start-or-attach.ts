import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client, type WorkflowHandle } from '@temporalio/client';

export type RunState = 'started' | 'attached' | 'closed';

/** What a new run is started with; the id and task queue come from the caller. */
export interface StartSpec {
  workflowType: string;
  args: unknown[];
  /** The Web UI's summary and details of the run. */
  staticSummary: string;
  staticDetails: string;
  memo?: Record<string, unknown>;
}

/**
 * One run per workflow id: an open run is attached to, an ended one is reported (never started
 * again), and only an unknown id starts a run. Losing the race to another starter is attaching.
 */
export async function startOrAttach(client: Client, taskQueue: string, workflowId: string, spec: () => Promise<StartSpec>): Promise<{ handle: WorkflowHandle; state: RunState }> {
  const existing = client.workflow.getHandle(workflowId);
  try {
    const { status } = await existing.describe();
    return { handle: existing, state: status.name === 'RUNNING' ? 'attached' : 'closed' };
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
  }
  const { workflowType, ...options } = await spec();
  try {
    const handle = await client.workflow.start(workflowType, { taskQueue, workflowId, ...options });
    return { handle, state: 'started' };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return { handle: existing, state: 'attached' };
    throw err;
  }
}
