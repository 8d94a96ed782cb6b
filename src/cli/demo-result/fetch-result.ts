import { WorkflowNotFoundError, type Client, type WorkflowExecutionDescription, type WorkflowHandle } from '@temporalio/client';
import { InputError } from '../../errors.ts';
import type { DemoResult } from '../../model/result.ts';
import { closedResult, openProgress } from './outcome.ts';

/**
 * A run's result: the final one when it has ended, its live progress while open (undefined when
 * no worker answers). Unknown ids are an input error.
 */
export async function fetchResult(client: Client, workflowId: string, namespace: string): Promise<{ running: boolean; runId: string; result: DemoResult | undefined }> {
  const { handle, description } = await describeRun(client, workflowId, namespace);
  return demoResultOf(client, handle, description);
}

/** The same for a run already described. */
export async function demoResultOf(client: Client, handle: WorkflowHandle, description: WorkflowExecutionDescription): Promise<{ running: boolean; runId: string; result: DemoResult | undefined }> {
  if (description.status.name === 'RUNNING') return { running: true, runId: description.runId, result: await openProgress(client, handle) };
  return { running: false, runId: description.runId, result: await closedResult(handle) };
}

/** A run by its id, whatever its type; an unknown id is an input error. */
export async function describeRun(client: Client, workflowId: string, namespace: string): Promise<{ handle: WorkflowHandle; description: WorkflowExecutionDescription }> {
  const handle = client.workflow.getHandle(workflowId);
  try {
    return { handle, description: await handle.describe() };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw new InputError(`no run with workflow id "${workflowId}" in namespace ${namespace}`);
    throw err;
  }
}
