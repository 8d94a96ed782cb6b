import type { Command } from 'commander';
import { addFailActivityOption } from '../fail-activity.ts';

/** The flags `run` and `tenants` share, with the same meaning and help text. */
export function addDriveOptions(cmd: Command): Command {
  const withRunFlags = cmd
    .option('--sandbox', 'run on the sandbox cluster (no Docker needed) instead of kind')
    .option('-c, --config <file>', 'YAML config file (see config.example.yaml)')
    .option('--json', 'print exactly one JSON document, the result, on stdout')
    .option('--detach', 'start the run and return at once; a worker elsewhere executes it')
    .option('--no-worker', 'do not run a worker in this process (one runs elsewhere: `udn-demo worker`)')
    .option('--workflow-id <id>', 'workflow id; if that run is still open, attach to it instead of starting another')
    .option('--take-over', 'one run per cluster: replace a run that has ended but still holds the cluster (never an open one: cancel that)');
  return addFailActivityOption(withRunFlags);
}
