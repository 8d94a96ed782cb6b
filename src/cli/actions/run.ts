import { InputError } from '../../errors.ts';
import type { DemoResult } from '../../model/result.ts';
import { demoInputFromConfig } from '../../workflows/demo-input.ts';
import { drive, type DriveOptions, type RunCommand } from '../drive/drive.ts';
import { exitCodeFor } from '../demo-result/exit-code.ts';
import { followRun } from '../run/follow-run.ts';
import type { LoadedConfig } from '../../config/load.ts';
import { printJson } from '../io.ts';
import { closedResult } from '../demo-result/outcome.ts';
import { renderResult } from '../demo-result/render.ts';
import { newWorkflowId } from '../workflow-id.ts';
import { scenariosOf } from '../scenario-option.ts';
import type { ScenarioId } from '../../scenarios/compose.ts';

export interface RunOptions extends DriveOptions {
  ordering?: string;
  scenario: string;
  presenter?: boolean;
  console?: boolean;
}

export async function run(opts: RunOptions): Promise<void> {
  const scenarios = scenariosOf(opts.scenario);
  process.exitCode = await drive(opts, demoCommand(opts, scenarios));
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
    // Any follower of a presented run presents it (an attach with --workflow-id too).
    follow: (client, handle) => followRun(client, handle, { loaded: loadedConfig!, scenarios, json: Boolean(opts.json), console: Boolean(opts.console) }),
    closed: (_client, handle) => closedResult(handle),
    report(result, json) {
      if (json) printJson(result);
      else process.stdout.write(`\n${renderResult(result)}\n`);
      return exitCodeFor(result);
    },
  };
}
