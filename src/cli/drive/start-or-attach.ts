import { WorkflowExecutionAlreadyStartedError, type Client, type WorkflowHandle } from '@temporalio/client';

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
 * A workflow task that a dead worker took goes to another worker after this long (the server's
 * default is 10 s): the bound on resuming a run killed between two steps. A timed-out task has no
 * side effect (it is replayed), and the longest task in the recorded histories took 0.5 s
 * (test/replay/histories; a whole replay after a kill, 0.3 s): 3 s keeps six times that.
 */
export const WORKFLOW_TASK_TIMEOUT = '3s';

/**
 * One run per workflow id, decided by the server's id policies rather than by a describe before
 * the start (which two starters can both pass): the start fails on any run that holds the id,
 * open (conflict policy FAIL) or ended (reuse policy REJECT_DUPLICATE), and only then is that run
 * described, to attach to it when open or report it when ended. A new id costs one round trip.
 */
export async function startOrAttach(client: Client, taskQueue: string, workflowId: string, spec: () => Promise<StartSpec>): Promise<{ handle: WorkflowHandle; state: RunState }> {
  const { workflowType, ...options } = await spec();
  try {
    const handle = await client.workflow.start(workflowType, {
      taskQueue,
      workflowId,
      workflowIdConflictPolicy: 'FAIL',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      workflowTaskTimeout: WORKFLOW_TASK_TIMEOUT,
      ...options,
    });
    return { handle, state: 'started' };
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
  const existing = client.workflow.getHandle(workflowId);
  const { status } = await existing.describe();
  return { handle: existing, state: status.name === 'RUNNING' ? 'attached' : 'closed' };
}
