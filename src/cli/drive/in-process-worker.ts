import { join } from 'node:path';
import type { InjectedFailures } from '../../activities/instrument.ts';
import { connectWorker } from '../../client/connection.ts';
import type { TemporalConfig } from '../../config/schema.ts';
import { paths } from '../../config/paths.ts';
import { reapInBackground } from '../../worker/reaper.ts';
import { createWorker, installRuntime } from '../../worker.ts';
import type { Interrupt } from './interrupt.ts';
import { info } from '../io.ts';

/**
 * Follows a run, with a worker in this process for as long as the following lasts (`inject` is
 * false for none: one runs elsewhere). The SDK's log goes to a file, so the terminal shows only
 * progress. A worker drained by Ctrl-C ends the following with 'interrupted'.
 */
export async function followWithOptionalWorker<R>(workflowId: string, temporal: TemporalConfig, inject: InjectedFailures | false, interrupt: Interrupt, following: () => Promise<R>): Promise<R | 'interrupted'> {
  if (inject === false) return following();
  const logFile = join(paths.dataDir, 'logs', `${workflowId.replace(/[^A-Za-z0-9._-]/g, '_')}.worker.log`);
  installRuntime(logFile);
  info(`worker: in this process; its log is ${logFile}`);
  const connection = await connectWorker(temporal);
  try {
    const worker = await createWorker({ connection, temporal, injectFailures: inject });
    const running = worker.runUntil(following);
    // Beside the polling, never before it: the retries it frees are for a worker that polls.
    void reapInBackground(temporal, info);
    return await running;
  } catch (err) {
    if (interrupt.interrupted) return 'interrupted';
    throw err;
  } finally {
    await connection.close();
  }
}
