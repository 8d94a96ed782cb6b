import type { Command } from 'commander';
import type { InjectedFailures } from '../../activities/instrument.ts';
import { connectWorker } from '../../client/connection.ts';
import { loadConfig } from '../../config/load.ts';
import { createWorker, installRuntime } from '../../worker.ts';
import { addFailActivityOption } from '../fail-activity.ts';
import { info } from '../io.ts';

export function registerWorker(program: Command): void {
  const worker = program
    .command('worker')
    .description('run a worker for the udn-demo task queue until SIGINT/SIGTERM (for runs started with --no-worker or --detach)')
    .option('-c, --config <file>', 'YAML config file');
  addFailActivityOption(worker).action(async (opts: { config?: string; failActivity?: InjectedFailures }) => {
    const { config } = await loadConfig(opts.config);
    installRuntime();
    const connection = await connectWorker(config.temporal);
    try {
      const worker = await createWorker({ connection, temporal: config.temporal, ...(opts.failActivity ? { injectFailures: opts.failActivity } : {}) });
      info(`worker: polling task queue ${config.temporal.taskQueue} on ${config.temporal.address} (namespace ${config.temporal.namespace}); Ctrl-C stops it`);
      await worker.run();
      info('worker: stopped');
    } finally {
      await connection.close();
    }
  });
}
