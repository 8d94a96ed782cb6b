import type { Command } from 'commander';
import { connectClient } from '../../client/connection.ts';
import { loadConfig } from '../../config/load.ts';
import { continueUpdate } from '../../workflows/presenter.ts';
import { deliverUpdate } from '../deliver-update.ts';
import { info } from '../io.ts';
import { openRun } from '../open-run.ts';
import { stepOption } from '../step-option.ts';
import { validateWorkflowId } from '../workflow-id.ts';

/** Presenter mode's "go on", from any terminal (the presenting one takes Enter). */
export function registerNext(program: Command): void {
  program
    .command('next')
    .description('presenter mode: run the step a `run --presenter` waits before')
    .argument('<workflowId>', 'the presented run, as `udn-demo list` shows it')
    .option('-c, --config <file>', 'YAML config file')
    .option('--step <id>', 'the step you mean; refused if the run waits before another one')
    .addHelpText('after', '\nExit codes: 0 delivered, 2 no such run / it is not waiting / another step, 3 no worker answered.')
    .action(async (workflowId: string, opts: { config?: string; step?: string }) => {
      validateWorkflowId(workflowId);
      const step = stepOption(opts.step);
      const { config } = await loadConfig(opts.config);
      const client = await connectClient(config.temporal);
      try {
        const handle = await openRun(client, workflowId, config.temporal.namespace, 'nothing waits for the presenter');
        const ack = await deliverUpdate(client, workflowId, () => handle.executeUpdate(continueUpdate, { args: [step ? { step } : {}] }));
        info(`next: step ${ack.step} runs (run ${workflowId})`);
      } finally {
        await client.connection.close();
      }
    });
}
