import { WorkflowFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { ExitCode, InfrastructureError, errorMessage } from '../../errors.ts';
import type { TenantsResult } from '../../model/tenants.ts';
import { tenantsProgressQuery } from '../../workflows/tenants-workflow.ts';
import { serverUnavailable, untilServerAnswers } from '../server-outage.ts';

/** A TenantsWorkflow's state so far; undefined when no worker answers within the deadline. */
export async function tenantsProgress(client: Client, handle: WorkflowHandle, deadlineMs = 3000): Promise<TenantsResult | undefined> {
  try {
    return await client.connection.withDeadline(Date.now() + deadlineMs, () => handle.query(tenantsProgressQuery));
  } catch {
    return undefined;
  }
}

/**
 * The result of a closed TenantsWorkflow, waiting for it to close (through server outages). A
 * run that ended in an error rather than a verdict (no cluster, cancelled) has no result: it is
 * reported as failed with the error as `failure`, and with what it had done when a worker can
 * replay that.
 */
export async function closedTenantsResult(client: Client, handle: WorkflowHandle, say?: (line: string) => void): Promise<TenantsResult> {
  return untilServerAnswers(handle.workflowId, 'tenants', () => resultOf(client, handle), say);
}

async function resultOf(client: Client, handle: WorkflowHandle): Promise<TenantsResult> {
  try {
    return (await handle.result()) as TenantsResult;
  } catch (err) {
    if (serverUnavailable(err)) throw err;
    if (!(err instanceof WorkflowFailedError)) throw new InfrastructureError(`run ${handle.workflowId} ended without a result: ${errorMessage(err)}`);
    const failure = err.cause instanceof CancelledFailure ? 'the run was cancelled' : errorMessage(err.cause ?? err);
    const failureType = err.cause instanceof ApplicationFailure ? err.cause.type : undefined;
    // A replay of the whole run answers this query: on a loaded machine that takes more than a poll's 3 s.
    const sofar = (await tenantsProgress(client, handle, 15_000)) ?? (await nothingKnown(handle));
    return { ...sofar, status: 'failed', failure, ...(failureType ? { failureType } : {}) };
  }
}

/** Without a worker to replay the run, all that is known is that it failed. */
async function nothingKnown(handle: WorkflowHandle): Promise<TenantsResult> {
  const runId = await handle.describe().then((d) => d.runId, () => '');
  const times = () => ({ startedAt: null, endedAt: null });
  // `omitted` counts exceptions beyond those listed (none here).
  const isolation = { pairs: 0, settled: 0, passed: 0, failed: 0, inconclusive: 0, exceptions: [], omitted: 0, errors: [], concurrency: 0 };
  return {
    workflowId: handle.workflowId,
    runId,
    status: 'failed',
    phase: 'done',
    tenants: [],
    isolation,
    phases: { cluster: times(), rollout: times(), isolation: times() },
  };
}

/**
 * The exit-code contract (docs/ARCHITECTURE.md): 0 every tenant ready and every pair isolated; 1 a claim refuted by
 * evidence (a pair reached, a tenant's own east/west failed); 3 when the run could not prove its
 * claims and none was refuted (no cluster, a rollout or probes that failed for good, cancelled).
 */
export function tenantsExitCode(result: TenantsResult): ExitCode {
  if (result.status === 'passed') return ExitCode.passed;
  // As for the demo: input the cluster refused is the user's to fix, not the infrastructure's.
  if (result.failureType === 'InvalidInput') return ExitCode.usage;
  const refuted = result.isolation.failed > 0 || result.tenants.some((t) => t.eastWest?.verdict === 'fail');
  return refuted ? ExitCode.checkFailed : ExitCode.infrastructure;
}
