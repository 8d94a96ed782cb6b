import type { Command } from 'commander';
import { InputError } from '../../errors.ts';
import type { DemoResult } from '../../model/result.ts';
import { demoInputFromConfig } from '../../workflows/demo-input.ts';
import { addDriveOptions } from '../drive/options.ts';
import { drive, type DriveOptions, type RunCommand } from '../drive/drive.ts';
import { exitCodeFor } from '../demo-result/exit-code.ts';
import { follow } from '../run/follow.ts';
import { presenter } from '../run/present.ts';
import type { LoadedConfig } from '../../config/load.ts';
import { info, printJson } from '../io.ts';
import { closedResult } from '../demo-result/outcome.ts';
import { renderResult } from '../demo-result/render.ts';
import { newWorkflowId } from '../workflow-id.ts';
import { scenariosOf } from '../scenario-option.ts';
import { SCENARIO_IDS, type ScenarioId } from '../../scenarios/compose.ts';
import { SCENARIOS } from '../../scenarios/index.ts';

interface RunOptions extends DriveOptions {
  ordering?: string;
  scenario: string;
  presenter?: boolean;
}

export function registerRun(program: Command): void {
  addDriveOptions(program.command('run').description('start DemoWorkflow (or attach to the open run with --workflow-id) and follow it to the end'))
    .option('--ordering <mode>', "narrative: the seed's order, one step at a time (default); fast: every step as soon as what it needs is done")
    .option('--presenter', 'present the talk: before each step the run waits for you (Enter here, `udn-demo next ID`, or the update `continue`) and this terminal shows what the step does and the commands to do it by hand')
    .option('--scenario <name>', `which part of the talk: ${[...SCENARIO_IDS, 'all'].join(', ')} (all: the whole talk, in its order)`, 'all')
    .addHelpText('after', `\nScenarios:\n${scenariosHelp()}\n\nExit codes: 0 all checks passed, 1 a check failed, 2 usage/config/input error, 3 infrastructure error.`)
    .action(async (opts: RunOptions) => {
      const scenarios = scenariosOf(opts.scenario);
      process.exitCode = await drive(opts, demoCommand(opts, scenarios));
    });
}

/** What each scenario does, from its table: its title, its steps, its checks. */
function scenariosHelp(): string {
  return SCENARIOS.map((s) => {
    const own = s.steps.filter((step) => step.run.kind !== 'check-tools' && step.run.kind !== 'provide-cluster' && step.run.kind !== 'write-report');
    const checks = own.flatMap((step) => ('checks' in step ? step.checks.map((c) => c.id) : []));
    return `  ${s.id}: ${s.title}\n    ${own.length} steps: ${own.map((step) => step.id).join(', ')}\n    checks: ${checks.join(', ')}`;
  }).join('\n');
}

/** DemoWorkflow: the talk, step by step. */
function demoCommand(opts: RunOptions, scenarios: ScenarioId[]): RunCommand<DemoResult> {
  let loadedConfig: LoadedConfig | undefined;
  return {
    name: 'run',
    statusFollows: true,
    configure(loaded) {
      loadedConfig = loaded;
      if (opts.presenter && opts.ordering === 'fast') throw new InputError('--presenter shows one step at a time: it takes the narrative ordering, not --ordering fast');
      if (opts.ordering === undefined) return;
      if (opts.ordering !== 'narrative' && opts.ordering !== 'fast') throw new InputError(`--ordering must be narrative or fast, got "${opts.ordering}"`);
      loaded.config.ordering = opts.ordering;
    },
    newWorkflowId: (config) => newWorkflowId(config.cluster.provider),
    start: ({ config, source }, takeOver, statusAttribute) => ({
      workflowType: 'DemoWorkflow',
      args: [{ ...demoInputFromConfig(config), scenarios, ...(takeOver ? { takeOver } : {}), ...(opts.presenter ? { presenter: true } : {}), ...(statusAttribute ? { statusAttribute } : {}) }],
      staticSummary: `udn-demo on the ${config.cluster.provider} cluster "${config.cluster.name}"`,
      staticDetails: [
        `Config: ${source}`,
        `scenarios: ${scenarios.join(', ')}`,
        `green: namespace ${config.scenario.green.namespace}, UDN ${config.scenario.green.subnet}`,
        `blue: namespace ${config.scenario.blue.namespace}, UDN ${config.scenario.blue.subnet}`,
        `migrated VM: ${config.scenario.migration.vm}`,
        `ordering: ${config.ordering}`,
      ].join('\n\n'),
    }),
    async follow(client, handle) {
      // Any follower of a presented run presents it (an attach with --workflow-id too).
      const present = presenter(handle, loadedConfig!, scenarios, info);
      try {
        return await follow(client, handle, { print: info, onProgress: present.onProgress });
      } finally {
        present.close();
      }
    },
    closed: (_client, handle) => closedResult(handle),
    report(result, json) {
      if (json) printJson(result);
      else process.stdout.write(`\n${renderResult(result)}\n`);
      return exitCodeFor(result);
    },
  };
}
