import type { Command } from 'commander';
import { connectClient } from '../../client/connection.ts';
import { workflowUrl } from '../../client/web-ui.ts';
import { loadConfig } from '../../config/load.ts';
import { ExitCode } from '../../errors.ts';
import { exitCodeFor } from '../demo-result/exit-code.ts';
import { info, printJson } from '../io.ts';
import { fetchResult } from '../demo-result/fetch-result.ts';
import { renderResult } from '../demo-result/render.ts';
import { validateWorkflowId } from '../workflow-id.ts';

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description("show a run's steps and checks (live progress if it is still open)")
    .argument('<workflowId>', 'the run, as printed by `udn-demo run` or `udn-demo list`')
    .option('-c, --config <file>', 'YAML config file')
    .option('--json', 'print the result JSON on stdout')
    .addHelpText('after', '\nExit codes: as `run` for a closed run; 0 while it is still running.')
    .action(async (workflowId: string, opts: { config?: string; json?: boolean }) => {
      validateWorkflowId(workflowId);
      const { config } = await loadConfig(opts.config);
      const client = await connectClient(config.temporal);
      try {
        const { running, runId, result } = await fetchResult(client, workflowId, config.temporal.namespace);
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
    });
}
