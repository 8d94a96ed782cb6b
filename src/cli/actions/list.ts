import { connectClient } from '../../client/connection.ts';
import { loadConfig } from '../../config/load.ts';
import { InputError } from '../../errors.ts';
import { printJson } from '../io.ts';
import { MEMO_KEY, type RunMemo } from '../../workflows/operator-messages.ts';

export interface ListOptions {
  config?: string;
  limit: string;
  json?: boolean;
}

/** The demo's own verdict (Temporal says COMPLETED for a run whose checks failed); '-' for runs from before it was recorded. */
function demoStatus(memo: RunMemo | undefined): string {
  if (!memo) return '-';
  if (memo.status === 'waiting') return `waiting: ${memo.step} failed`;
  if (memo.status === 'failed' && memo.step) return `failed at ${memo.step}`;
  return `${memo.status}${memo.checks ? ` (checks ${memo.checks})` : ''}`;
}

export async function list(opts: ListOptions): Promise<void> {
  const limit = Number(opts.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new InputError(`--limit must be a whole number from 1 to 1000, got "${opts.limit}"`);
  const { config } = await loadConfig(opts.config);
  const client = await connectClient(config.temporal);
  try {
    const rows: { workflowId: string; runId: string; kind: 'run' | 'tenants'; state: string; demo: string; startedAt: string; endedAt: string | null }[] = [];
    for await (const wf of client.workflow.list({ query: `WorkflowType = 'DemoWorkflow' OR WorkflowType = 'TenantsWorkflow'` })) {
      const kind = wf.type === 'TenantsWorkflow' ? 'tenants' : 'run';
      // A tenants run keeps no memo: its verdict is in `udn-demo status ID`.
      const demo = kind === 'tenants' ? 'tenants (see status)' : demoStatus(wf.memo?.[MEMO_KEY] as RunMemo | undefined);
      rows.push({ workflowId: wf.workflowId, runId: wf.runId, kind, state: wf.status.name, demo, startedAt: wf.startTime.toISOString(), endedAt: wf.closeTime?.toISOString() ?? null });
      if (rows.length >= limit) break;
    }
    if (opts.json) {
      printJson(rows);
      return;
    }
    if (rows.length === 0) {
      process.stdout.write('no runs yet; start one with `udn-demo run --sandbox`\n');
      return;
    }
    const width = Math.max(...rows.map((r) => r.workflowId.length));
    const demoWidth = Math.max(4, ...rows.map((r) => r.demo.length));
    process.stdout.write(`${'WORKFLOW ID'.padEnd(width)}  ${'TEMPORAL'.padEnd(10)}  ${'DEMO'.padEnd(demoWidth)}  ${'STARTED'.padEnd(24)}  ENDED\n`);
    for (const r of rows) process.stdout.write(`${r.workflowId.padEnd(width)}  ${r.state.padEnd(10)}  ${r.demo.padEnd(demoWidth)}  ${r.startedAt}  ${r.endedAt ?? ''}\n`);
  } finally {
    await client.connection.close();
  }
}
