import type { Command } from 'commander';
import { InputError } from '../../errors.ts';
import type { DemoResult } from '../../model/result.ts';
import { demoInputFromConfig } from '../../workflows/demo-input.ts';
import { addDriveOptions } from '../drive/options.ts';
import { drive, type DriveOptions, type RunCommand } from '../drive/drive.ts';
import { exitCodeFor } from '../demo-result/exit-code.ts';
import { follow } from '../run/follow.ts';
import { info, printJson } from '../io.ts';
import { closedResult } from '../demo-result/outcome.ts';
import { renderResult } from '../demo-result/render.ts';
import { newWorkflowId } from '../workflow-id.ts';

interface RunOptions extends DriveOptions {
  ordering?: string;
}

export function registerRun(program: Command): void {
  addDriveOptions(program.command('run').description('start DemoWorkflow (or attach to the open run with --workflow-id) and follow it to the end'))
    .option('--ordering <mode>', "narrative: the seed's order, one step at a time (default); fast: every step as soon as what it needs is done")
    .addHelpText('after', '\nExit codes: 0 all checks passed, 1 a check failed, 2 usage/config/input error, 3 infrastructure error.')
    .action(async (opts: RunOptions) => {
      process.exitCode = await drive(opts, demoCommand(opts));
    });
}

/** DemoWorkflow: the seed's demo, step by step. */
function demoCommand(opts: RunOptions): RunCommand<DemoResult> {
  return {
    name: 'run',
    statusFollows: true,
    configure(loaded) {
      if (opts.ordering === undefined) return;
      if (opts.ordering !== 'narrative' && opts.ordering !== 'fast') throw new InputError(`--ordering must be narrative or fast, got "${opts.ordering}"`);
      loaded.config.ordering = opts.ordering;
    },
    newWorkflowId: (config) => newWorkflowId(config.cluster.provider),
    start: ({ config, source }) => ({
      workflowType: 'DemoWorkflow',
      args: [demoInputFromConfig(config)],
      staticSummary: `udn-demo on the ${config.cluster.provider} cluster "${config.cluster.name}"`,
      staticDetails: [
        `Config: ${source}`,
        `green: namespace ${config.scenario.green.namespace}, UDN ${config.scenario.green.subnet}`,
        `blue: namespace ${config.scenario.blue.namespace}, UDN ${config.scenario.blue.subnet}`,
        `migrated VM: ${config.scenario.migration.vm}`,
        `ordering: ${config.ordering}`,
      ].join('\n\n'),
    }),
    follow: (client, handle) => follow(client, handle, { print: info }),
    closed: (_client, handle) => closedResult(handle),
    report(result, json) {
      if (json) printJson(result);
      else process.stdout.write(`\n${renderResult(result)}\n`);
      return exitCodeFor(result);
    },
  };
}
