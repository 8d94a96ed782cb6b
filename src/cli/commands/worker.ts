import type { Command } from 'commander';
import type { WorkerOptions } from '../actions/worker.ts';
import { addFailActivityOption } from '../fail-activity.ts';

export function registerWorker(program: Command): void {
  const worker = program
    .command('worker')
    .description('run a worker for the udn-demo task queue until SIGINT/SIGTERM (for runs started with --no-worker or --detach)')
    .option('-c, --config <file>', 'YAML config file');
  addFailActivityOption(worker).action(async (opts: WorkerOptions) => (await import('../actions/worker.ts')).worker(opts));
}
