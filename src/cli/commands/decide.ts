import type { Command } from 'commander';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { connectClient } from '../../client/connection.ts';
import { loadConfig } from '../../config/load.ts';
import type { StepId } from '../../model/result.ts';
import { STEP_IDS } from '../../scenarios/index.ts';
import { InfrastructureError, InputError, errorMessage } from '../../errors.ts';
import type { DecisionAction } from '../../model/result.ts';
import { decideUpdate } from '../../workflows/operator-messages.ts';
import { info } from '../io.ts';
import { openRun } from '../open-run.ts';
import { validateWorkflowId } from '../workflow-id.ts';

const ANSWER_WITHIN_MS = 15_000;

const ACTIONS: Record<DecisionAction, { description: string; done: (step: StepId) => string }> = {
  retry: { description: 'run the failed step a waiting run is stuck at again', done: (step) => `step ${step} runs again` },
  skip: { description: 'record the failed step a waiting run is stuck at as skipped and go on (the run can then not pass)', done: (step) => `step ${step} is recorded as skipped; the run goes on` },
};

/** `retry` and `skip`: the operator's answers to a step that failed for good (see `status`). */
export function registerDecisions(program: Command): void {
  for (const [action, { description, done }] of Object.entries(ACTIONS) as [DecisionAction, (typeof ACTIONS)[DecisionAction]][]) {
    program
      .command(action)
      .description(description)
      .argument('<workflowId>', 'the waiting run, as `udn-demo list` shows it')
      .option('-c, --config <file>', 'YAML config file')
      .option('--step <id>', 'the step you mean; refused if the run waits on another one')
      .addHelpText('after', '\nExit codes: 0 delivered, 2 no such run / it is not waiting / another step, 3 no worker answered.')
      .action(async (workflowId: string, opts: { config?: string; step?: string }) => {
        validateWorkflowId(workflowId);
        if (opts.step !== undefined && !(STEP_IDS as readonly string[]).includes(opts.step)) throw new InputError(`--step "${opts.step}" is not a step; steps: ${STEP_IDS.join(', ')}`);
        const { config } = await loadConfig(opts.config);
        const client = await connectClient(config.temporal);
        try {
          const handle = await openRun(client, workflowId, config.temporal.namespace, 'nothing waits for a decision');
          const step = opts.step as StepId | undefined;
          const ack = await client.connection
            .withDeadline(Date.now() + ANSWER_WITHIN_MS, () => handle.executeUpdate(decideUpdate, { args: [{ action, ...(step ? { step } : {}) }] }))
            .catch((err: unknown) => {
              if (err instanceof WorkflowUpdateFailedError) throw new InputError(`run ${workflowId}: ${errorMessage(err.cause ?? err)}`);
              throw new InfrastructureError(`run ${workflowId}: no worker took the decision within ${ANSWER_WITHIN_MS / 1000} s (${errorMessage(err)}); is \`udn-demo worker\` running?`);
            });
          info(`${action}: ${done(ack.step)} (run ${workflowId})`);
        } finally {
          await client.connection.close();
        }
      });
  }
}
