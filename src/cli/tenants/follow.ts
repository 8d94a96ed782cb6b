import type { Client, WorkflowHandle } from '@temporalio/client';
import type { TenantsResult } from '../../model/tenants.ts';
import { NO_WORKER_HINT, pollUntilSettled } from '../drive/poll-until-settled.ts';
import { closedTenantsResult, tenantsProgress } from './outcome.ts';

export interface FollowTenantsOptions {
  print: (line: string) => void;
  pollMs?: number;
  /** A line that changed within this long of the last one waits (a new phase does not). */
  quietMs?: number;
}

/** `rollout: tenants ready 3/8 (1 failed), isolation pairs settled 0/0` */
export function progressLine(p: TenantsResult): string {
  const ready = p.tenants.filter((t) => t.state === 'ready').length;
  const failed = p.tenants.filter((t) => t.state === 'failed').length;
  const i = p.isolation;
  return `  … ${p.phase}: tenants ready ${ready}/${p.tenants.length}${failed ? ` (${failed} failed)` : ''}, isolation pairs settled ${i.settled}/${i.pairs}`;
}

/**
 * Polls the run's progress query and prints a line when it changes — at once for a new phase,
 * else at most every `quietMs`, so hundreds of tenants do not flood the terminal. Resolves with
 * the run's result.
 */
export async function followTenants(client: Client, handle: WorkflowHandle, opts: FollowTenantsOptions): Promise<TenantsResult> {
  const pollMs = opts.pollMs ?? 500;
  const quietMs = opts.quietMs ?? 2000;
  let last = { line: '', phase: '', at: 0 };
  const show = (p: TenantsResult, force: boolean) => {
    const line = progressLine(p);
    if (line === last.line || (!force && p.phase === last.phase && Date.now() - last.at < quietMs)) return;
    opts.print(line);
    last = { line, phase: p.phase, at: Date.now() };
  };

  const result = await pollUntilSettled(closedTenantsResult(client, handle, opts.print), pollMs, async (tick) => {
    const progress = await tenantsProgress(client, handle);
    if (progress) show(progress, false);
    if (!progress && tick === 10) opts.print(NO_WORKER_HINT);
  });
  show(result, true);
  return result;
}
