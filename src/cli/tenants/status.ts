import type { Client, WorkflowHandle } from '@temporalio/client';
import { ExitCode } from '../../errors.ts';
import { info, printJson } from '../io.ts';
import { closedTenantsResult, tenantsExitCode, tenantsProgress } from './outcome.ts';
import { renderTenants } from './render.ts';

/** `udn-demo status` of a tenants run: its progress while open, its result and exit code once ended. */
export async function tenantsStatus(client: Client, handle: WorkflowHandle, running: boolean, json: boolean | undefined): Promise<ExitCode> {
  const result = running ? await tenantsProgress(client, handle) : await closedTenantsResult(client, handle);
  if (!result) {
    if (json) printJson({ workflowId: handle.workflowId, status: 'running', tenants: [] });
    info(`run ${handle.workflowId} is running, but no worker answered; start one with \`udn-demo worker\``);
    return ExitCode.passed;
  }
  if (json) printJson(result);
  else process.stdout.write(`${renderTenants(result)}\n`);
  return running ? ExitCode.passed : tenantsExitCode(result);
}
