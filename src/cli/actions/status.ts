import { connectClient } from '../../client/connection.ts';
import { workflowUrl } from '../../client/web-ui.ts';
import { loadConfig } from '../../config/load.ts';
import { ExitCode } from '../../errors.ts';
import { exitCodeFor } from '../demo-result/exit-code.ts';
import { info, printJson } from '../io.ts';
import { demoResultOf, describeRun } from '../demo-result/fetch-result.ts';
import { tenantsStatus } from '../tenants/status.ts';
import { renderResult } from '../demo-result/render.ts';
import { validateWorkflowId } from '../workflow-id.ts';

export interface StatusOptions {
  config?: string;
  json?: boolean;
}

export async function status(workflowId: string, opts: StatusOptions): Promise<void> {
  validateWorkflowId(workflowId);
  const { config } = await loadConfig(opts.config);
  const client = await connectClient(config.temporal);
  try {
    const { handle, description } = await describeRun(client, workflowId, config.temporal.namespace);
    if (description.type === 'TenantsWorkflow') {
      process.exitCode = await tenantsStatus(client, handle, description.status.name === 'RUNNING', opts.json);
      info(`Web UI: ${workflowUrl(config.temporal, workflowId)}`);
      return;
    }
    const { running, runId, result } = await demoResultOf(client, handle, description);
    if (running) {
      const progress = result;
      if (!progress) {
        if (opts.json) printJson({ workflowId, runId, status: 'running', steps: [], checks: [], migration: null });
        info(`run ${workflowId} is running, but no worker answered; start one with \`udn-demo worker\``);
      } else if (opts.json) printJson(progress);
      else process.stdout.write(`${renderResult(progress)}\n`);
      info(`Web UI: ${workflowUrl(config.temporal, workflowId)}`);
      process.exitCode = ExitCode.passed;
      return;
    }
    if (!result) throw new Error(`run ${workflowId} has no result`);
    if (opts.json) printJson(result);
    else process.stdout.write(`${renderResult(result)}\n`);
    info(`Web UI: ${workflowUrl(config.temporal, workflowId)}`);
    process.exitCode = exitCodeFor(result);
  } finally {
    await client.connection.close();
  }
}
