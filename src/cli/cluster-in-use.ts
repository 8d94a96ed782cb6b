import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { providerFor } from '../cluster/providers/index.ts';
import { kubeConfigFor } from '../cluster/kube.ts';
import { leaseHolder, releaseLease, type LeaseHolder } from '../cluster/run-lease.ts';
import type { ClusterRef } from '../model/cluster.ts';
import { connectClient } from '../client/connection.ts';
import type { Config } from '../config/schema.ts';
import { InfrastructureError } from '../errors.ts';

/** Whether the run holding a cluster is still open in Temporal, and how it ended if not. */
async function holderStatus(client: Client, holder: string): Promise<string> {
  try {
    return (await client.workflow.getHandle(holder).describe()).status.name;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return 'NOT_FOUND';
    throw err;
  }
}

function since(h: LeaseHolder): string {
  return h.since ? ` since ${h.since}` : '';
}

/** The memo key naming a run's cluster, so a starting run finds the open runs on its cluster before any of them holds the Lease. */
export const CLUSTER_MEMO = 'cluster';

/** One cluster, as runs name it: a sandbox is its directory (each data directory has its own), a kind cluster its name. */
export function clusterKey(config: Config): string {
  const { provider, name, kind } = config.cluster;
  return providerFor(provider, { sandbox: config.sandbox, kind }).key(name);
}

/** Another open run started on this cluster (it may not hold the Lease yet: it claims at its first apply). */
async function openRunOn(client: Client, key: string, runId: string): Promise<{ workflowId: string; startTime: Date } | undefined> {
  const query = `ExecutionStatus = 'Running' AND (WorkflowType = 'DemoWorkflow' OR WorkflowType = 'TenantsWorkflow')`;
  for await (const wf of client.workflow.list({ query })) {
    if (wf.workflowId !== runId && wf.memo?.[CLUSTER_MEMO] === key) return wf;
  }
  return undefined;
}

/**
 * One run per cluster, checked before a run starts so a second one fails in seconds, naming the
 * first (the run's own claim, at its first apply, settles a race between two starters). Returns
 * the ended holder that `--take-over` lets the new run replace.
 */
export async function checkClusterFree(client: Client, config: Config, runId: string, command: string, takeOver: boolean): Promise<string | undefined> {
  const { provider, name, kind } = config.cluster;
  const ref = await providerFor(provider, { sandbox: config.sandbox, kind }).existing(name);
  // A cluster whose API does not answer is for the run's ensure-cluster to mend; its claim still guards it.
  const held = ref ? await leaseHolder(kubeConfigFor(ref)).catch(() => undefined) : undefined;
  if (!held || held.holder === runId) {
    const open = await openRunOn(client, clusterKey(config), runId);
    if (open) throw new InfrastructureError(`the ${provider} cluster "${name}" is in use by run ${open.workflowId} (open in Temporal since ${open.startTime.toISOString()}); wait for it to end, or stop it: udn-demo cancel ${open.workflowId}`);
    return undefined;
  }
  const status = await holderStatus(client, held.holder);
  if (status === 'RUNNING') {
    throw new InfrastructureError(`the ${provider} cluster "${name}" is in use by run ${held.holder} (open in Temporal${since(held)}); wait for it to end, or stop it: udn-demo cancel ${held.holder}`);
  }
  if (takeOver) return held.holder;
  const ended = status === 'NOT_FOUND' ? 'which this Temporal server does not know (it ended long ago, or ran on another server)' : `which has ended (${status.toLowerCase()}) without letting go`;
  throw new InfrastructureError(`the ${provider} cluster "${name}" is still held by run ${held.holder}${since(held)}, ${ended}; take it over: udn-demo ${command} --take-over`);
}

/**
 * Teardown removes what a run uses: refused while the holding run is open; an ended holder's
 * Lease goes with the rest, so the next run needs no --take-over.
 */
export async function releaseForTeardown(config: Config, ref: ClusterRef): Promise<void> {
  const kc = kubeConfigFor(ref);
  const held = await leaseHolder(kc).catch(() => undefined);
  if (!held) return;
  const client = await connectClient(config.temporal);
  let status: string;
  try {
    status = await holderStatus(client, held.holder);
  } finally {
    await client.connection.close();
  }
  if (status === 'RUNNING') {
    throw new InfrastructureError(`the ${ref.provider} cluster "${ref.name}" is in use by run ${held.holder} (open in Temporal${since(held)}); cancel it first, its cleanup removes what it made: udn-demo cancel ${held.holder}`);
  }
  await releaseLease(kc, held.holder);
}
