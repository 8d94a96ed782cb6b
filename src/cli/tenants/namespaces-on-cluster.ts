import type { Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import type { TenantsInput } from '../../workflows/tenants-input.ts';
import { CLUSTER_MEMO } from '../cluster-in-use.ts';

/**
 * The namespaces that tenants runs on this cluster made: each run's tenants, read from the input
 * it was started with (the history's first event), so `--count 64` is torn down without being
 * told 64 again. Runs on other clusters (the cluster memo) are not looked at.
 */
export async function tenantNamespacesOn(client: Client, clusterKey: string): Promise<string[]> {
  const found = new Set<string>();
  for await (const wf of client.workflow.list({ query: `WorkflowType = 'TenantsWorkflow'` })) {
    if (wf.memo?.[CLUSTER_MEMO] !== clusterKey) continue;
    const history = await client.workflow.getHandle(wf.workflowId, wf.runId).fetchHistory();
    const payload = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
    const input = payload ? defaultPayloadConverter.fromPayload<TenantsInput>(payload) : undefined;
    for (const t of input?.tenants ?? []) found.add(t.namespace);
  }
  return [...found];
}
