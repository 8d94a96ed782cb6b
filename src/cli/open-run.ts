import { WorkflowNotFoundError, type Client, type WorkflowHandle } from '@temporalio/client';
import { InputError } from '../errors.ts';

/** The handle of a run that is still open; an unknown or ended run is the caller's mistake, said in one line. */
export async function openRun(client: Client, workflowId: string, namespace: string, what: string): Promise<WorkflowHandle> {
  const handle = client.workflow.getHandle(workflowId);
  let status: string;
  try {
    status = (await handle.describe()).status.name;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw new InputError(`no run with workflow id "${workflowId}" in namespace ${namespace}`);
    throw err;
  }
  if (status !== 'RUNNING') throw new InputError(`run ${workflowId} has already ended (${status}); ${what}`);
  return handle;
}
