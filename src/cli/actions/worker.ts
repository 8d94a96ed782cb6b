import type { InjectedFailures } from '../../activities/instrument.ts';
import { connectWorker } from '../../client/connection.ts';
import { loadConfig } from '../../config/load.ts';
import { reapInBackground } from '../../worker/reaper.ts';
import { createWorker, installRuntime } from '../../worker.ts';
import { info } from '../io.ts';

export interface WorkerOptions {
  config?: string;
  failActivity?: InjectedFailures;
}

export async function worker(opts: WorkerOptions): Promise<void> {
  const { config } = await loadConfig(opts.config);
  installRuntime();
  const connection = await connectWorker(config.temporal);
  try {
    const worker = await createWorker({ connection, temporal: config.temporal, ...(opts.failActivity ? { injectFailures: opts.failActivity } : {}) });
    info(`worker: polling task queue ${config.temporal.taskQueue} on ${config.temporal.address} (namespace ${config.temporal.namespace}); Ctrl-C stops it`);
    const running = worker.run();
    // Beside the polling, never before it: the retries it frees are for a worker that polls.
    void reapInBackground(config.temporal, info);
    await running;
    info('worker: stopped');
  } finally {
    await connection.close();
  }
}
