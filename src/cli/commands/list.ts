import type { Command } from 'commander';
import { connectClient } from '../../client/connection.ts';
import { loadConfig } from '../../config/load.ts';
import { InputError } from '../../errors.ts';
import { printJson } from '../io.ts';

export function registerList(program: Command): void {
  program
    .command('list')
    .description('list recent runs, newest first, with their state')
    .option('-c, --config <file>', 'YAML config file')
    .option('-n, --limit <count>', 'how many runs', '20')
    .option('--json', 'print a JSON array on stdout')
    .action(async (opts: { config?: string; limit: string; json?: boolean }) => {
      const limit = Number(opts.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new InputError(`--limit must be a whole number from 1 to 1000, got "${opts.limit}"`);
      const { config } = await loadConfig(opts.config);
      const client = await connectClient(config.temporal);
      try {
        const rows: { workflowId: string; runId: string; state: string; startedAt: string; endedAt: string | null }[] = [];
        for await (const wf of client.workflow.list({ query: `WorkflowType = 'DemoWorkflow'` })) {
          rows.push({ workflowId: wf.workflowId, runId: wf.runId, state: wf.status.name, startedAt: wf.startTime.toISOString(), endedAt: wf.closeTime?.toISOString() ?? null });
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
        for (const r of rows) process.stdout.write(`${r.workflowId.padEnd(width)}  ${r.state.padEnd(10)}  ${r.startedAt}  ${r.endedAt ?? ''}\n`);
      } finally {
        await client.connection.close();
      }
    });
}
