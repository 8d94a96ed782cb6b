import { setTimeout as sleep } from 'node:timers/promises';
import { connectClient } from '../../client/connection.ts';
import { workflowUrl } from '../../client/web-ui.ts';
import { loadConfig } from '../../config/load.ts';
import { InfrastructureError } from '../../errors.ts';
import { MEMO_KEY, cleanupScopeSignal, type RunMemo } from '../../workflows/operator-messages.ts';

import { formatDuration } from '../duration.ts';
import { info, printJson } from '../io.ts';
import { openRun } from '../open-run.ts';
import { validateWorkflowId } from '../workflow-id.ts';

const CLEANUP_WITHIN_MS = 20 * 60_000;
const SAY_EVERY_MS = 15_000;

export interface CancelOptions {
  config?: string;
  removeCluster?: boolean;
  wait: boolean;
  json?: boolean;
}

export async function cancel(workflowId: string, opts: CancelOptions): Promise<void> {
  validateWorkflowId(workflowId);
  const { config } = await loadConfig(opts.config);
  const client = await connectClient(config.temporal);
  try {
    const handle = await openRun(client, workflowId, config.temporal.namespace, 'nothing to cancel');
    // The scope travels first: signals and the cancellation reach the workflow in this order.
    if (opts.removeCluster) await handle.signal(cleanupScopeSignal, { removeCluster: true });
    await handle.cancel();
    info(`cancel: requested for run ${workflowId}; Web UI: ${workflowUrl(config.temporal, workflowId)}`);
    if (!opts.wait) {
      if (opts.json) printJson({ workflowId, status: 'cancelling', removed: [] });
      return;
    }
    const started = Date.now();
    let said = started;
    for (;;) {
      const d = await handle.describe();
      if (d.status.name !== 'RUNNING') {
        const memo = d.memo?.[MEMO_KEY] as RunMemo | undefined;
        const removed = memo?.removed ?? [];
        if (opts.json) printJson({ workflowId, status: d.status.name.toLowerCase(), removed, ...(memo?.cleanupError ? { error: memo.cleanupError } : {}) });
        if (memo?.cleanupError) throw new InfrastructureError(`run ${workflowId} is cancelled, but its cleanup failed: ${memo.cleanupError}`);
        info(`cancel: run ${workflowId} ${d.status.name.toLowerCase()}; ${removed.length > 0 ? `removed ${removed.join(', ')}` : 'it had created nothing to remove'}`);
        return;
      }
      if (Date.now() - started > CLEANUP_WITHIN_MS) throw new InfrastructureError(`run ${workflowId} has not finished cancelling after ${formatDuration(CLEANUP_WITHIN_MS)}; is its worker running?`);
      if (Date.now() - said >= SAY_EVERY_MS) {
        info(`cancel: … still cleaning up after ${formatDuration(Date.now() - started)} (the run's worker does it; \`udn-demo worker\` if none runs)`);
        said = Date.now();
      }
      await sleep(500);
    }
  } finally {
    await client.connection.close();
  }
}
