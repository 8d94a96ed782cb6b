import { connectClient } from '../../client/connection.ts';
import { loadConfig } from '../../config/load.ts';
import { continueUpdate } from '../../workflows/presenter.ts';
import { deliverUpdate } from '../deliver-update.ts';
import { info } from '../io.ts';
import { openRun } from '../open-run.ts';
import { stepOption } from '../step-option.ts';
import { validateWorkflowId } from '../workflow-id.ts';

export interface NextOptions {
  config?: string;
  step?: string;
}

export async function next(workflowId: string, opts: NextOptions): Promise<void> {
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
}
