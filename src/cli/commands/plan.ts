import type { Command } from 'commander';
import type { PlanOptions } from '../actions/plan.ts';
import { SCENARIO_CHOICES } from '../scenario-option.ts';

export function registerPlan(program: Command): void {
  program
    .command('plan')
    .description('print what a run would do: its steps, their rendered manifests, every probe with the verdict the network model expects, and the commands to do each step by hand')
    .option('--scenario <name>', `which part of the talk: ${SCENARIO_CHOICES.join(', ')} (all: the whole talk, in its order)`, 'all')
    .option('-c, --config <file>', 'YAML config file (its namespaces, ports and timeouts shape the plan)')
    .option('--sandbox', "a sandbox run rather than kind: accepted like `run`'s; the plan is the same")
    .option('--json', 'print the plan as one JSON document')
    .addHelpText('after', '\nNeeds no Temporal server and no cluster: nothing is started, contacted or written.\nExit codes: 0 printed, 2 bad --scenario or config.')
    .action(async (opts: PlanOptions) => (await import('../actions/plan.ts')).plan(opts));
}
