import type { Command } from 'commander';
import { loadConfig } from '../../config/load.ts';
import { printJson } from '../io.ts';
import { buildPlan } from '../plan/plan.ts';
import { renderPlan } from '../plan/render.ts';
import { SCENARIO_CHOICES, scenariosOf } from '../scenario-option.ts';

interface PlanOptions {
  scenario: string;
  config?: string;
  json?: boolean;
}

export function registerPlan(program: Command): void {
  program
    .command('plan')
    .description('print what a run would do: its steps, their rendered manifests, every probe with the verdict the network model expects, and the commands to do each step by hand')
    .option('--scenario <name>', `which part of the talk: ${SCENARIO_CHOICES.join(', ')} (all: the whole talk, in its order)`, 'all')
    .option('-c, --config <file>', 'YAML config file (its namespaces, ports and timeouts shape the plan)')
    .option('--sandbox', "a sandbox run rather than kind: accepted like `run`'s; the plan is the same")
    .option('--json', 'print the plan as one JSON document')
    .addHelpText('after', '\nNeeds no Temporal server and no cluster: nothing is started, contacted or written.\nExit codes: 0 printed, 2 bad --scenario or config.')
    .action(async (opts: PlanOptions) => {
      const scenarios = scenariosOf(opts.scenario);
      const { config } = await loadConfig(opts.config);
      const plan = await buildPlan(config, scenarios, opts.config);
      if (opts.json) printJson(plan);
      else process.stdout.write(renderPlan(plan));
    });
}
