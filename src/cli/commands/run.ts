import type { Command } from 'commander';
import type { RunOptions } from '../actions/run.ts';
import { addDriveOptions } from '../drive/options.ts';
import { SCENARIO_IDS } from '../../scenarios/compose.ts';
import { SCENARIOS } from '../../scenarios/index.ts';

export function registerRun(program: Command): void {
  addDriveOptions(program.command('run').description('start DemoWorkflow (or attach to the open run with --workflow-id) and follow it to the end'))
    .option('--ordering <mode>', "narrative: the talk's order, one step at a time (default); fast: every step as soon as what it needs is done")
    .option('--presenter', 'present the talk: before each step the run waits for you (Enter here, `udn-demo next ID`, or the update `continue`) and this terminal shows what the step does and the commands to do it by hand')
    .option('--console', "show the VMs' serial consoles as the probes use them: the login, each command and its output (always on with --presenter; every line with this process's worker, else what the probes' heartbeats carry every 2 s)")
    .option('--scenario <name>', `which part of the talk: ${[...SCENARIO_IDS, 'all'].join(', ')} (all: the whole talk, in its order)`, 'all')
    .addHelpText('after', `\nScenarios:\n${scenariosHelp()}\n\nProgress (on stderr): on a terminal, the steps redrawn in place with their state and time (in colour unless NO_COLOR is set); piped, with TERM=dumb or with --json, one line per change.\n\nExit codes: 0 all checks passed, 1 a check failed, 2 usage/config/input error, 3 infrastructure error.`)
    .action(async (opts: RunOptions) => (await import('../actions/run.ts')).run(opts));
}

/** What each scenario does, from its table: its title, its steps, its checks. */
function scenariosHelp(): string {
  return SCENARIOS.map((s) => {
    const own = s.steps.filter((step) => step.run.kind !== 'check-tools' && step.run.kind !== 'provide-cluster' && step.run.kind !== 'write-report');
    const checks = own.flatMap((step) => ('checks' in step ? step.checks.map((c) => c.id) : []));
    return `  ${s.id}: ${s.title}\n    ${own.length} steps: ${own.map((step) => step.id).join(', ')}\n    checks: ${checks.join(', ')}`;
  }).join('\n');
}
