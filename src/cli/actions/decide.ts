import { connectClient } from '../../client/connection.ts';
import { loadConfig } from '../../config/load.ts';
import type { DecisionAction, StepId } from '../../model/result.ts';
import { decideUpdate } from '../../workflows/operator-messages.ts';
import { deliverUpdate } from '../deliver-update.ts';
import { info } from '../io.ts';
import { stepOption } from '../step-option.ts';
import { openRun } from '../open-run.ts';
import { validateWorkflowId } from '../workflow-id.ts';

export interface DecideOptions {
  config?: string;
  step?: string;
}

const DONE: Record<DecisionAction, (step: StepId) => string> = {
  retry: (step) => `step ${step} runs again`,
  skip: (step) => `step ${step} is recorded as skipped; the run goes on`,
};

/** `retry` or `skip`: delivers the operator's answer to the step a waiting run is stuck at. */
export async function decide(action: DecisionAction, workflowId: string, opts: DecideOptions): Promise<void> {
  validateWorkflowId(workflowId);
  const step = stepOption(opts.step);
  const { config } = await loadConfig(opts.config);
  const client = await connectClient(config.temporal);
  try {
    const handle = await openRun(client, workflowId, config.temporal.namespace, 'nothing waits for a decision');
    const ack = await deliverUpdate(client, workflowId, () => handle.executeUpdate(decideUpdate, { args: [{ action, ...(step ? { step } : {}) }] }));
    info(`${action}: ${DONE[action](ack.step)} (run ${workflowId})`);
  } finally {
    await client.connection.close();
  }
}
