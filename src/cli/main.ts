import { Command, CommanderError } from 'commander';
import { ExitCode, UserFacingError, errorMessage, firstLine } from '../errors.ts';
import { registerAnalyze } from './commands/analyze.ts';
import { registerCancel } from './commands/cancel.ts';
import { registerCompletion } from './commands/completion.ts';
import { registerDecisions } from './commands/decide.ts';
import { registerDevServer } from './commands/dev-server.ts';
import { registerDoctor } from './commands/doctor.ts';
import { registerList } from './commands/list.ts';
import { registerNext } from './commands/next.ts';
import { registerPlan } from './commands/plan.ts';
import { registerReport } from './commands/report.ts';
import { registerRun } from './commands/run.ts';
import { registerSandbox } from './commands/sandbox.ts';
import { registerStatus } from './commands/status.ts';
import { registerTenants } from './commands/tenants.ts';
import { registerTeardown } from './commands/teardown.ts';
import { registerWorker } from './commands/worker.ts';
import { packageVersion } from './version.ts';

/**
 * Every command's definition (flags, help) and nothing more: each action imports its
 * implementation (src/cli/actions/) when it runs, so `--help`, `--version`, `completion` and a
 * command's `--help` load commander and these definitions only, not Temporal's SDK, the Kubernetes
 * client or vega (docs/PERFORMANCE.md, "Start-up").
 */
export function buildProgram(): Command {
  const program = new Command('udn-demo')
    .description('Run and prove the OVN-Kubernetes primary user-defined-network demo (FOSDEM 2025) as durable Temporal workflows')
    .version(packageVersion(), '-V, --version', 'print the version')
    .exitOverride()
    .configureOutput({
      // Commander's "error: …" becomes our one-line form; help text is written unchanged.
      outputError: (text, write) => write(`udn-demo: ${text.replace(/^error: /, '').trim().replace(/\s*\n\s*/g, ' ')} (see --help)\n`),
    });
  registerRun(program);
  registerTenants(program);
  registerWorker(program);
  registerStatus(program);
  registerList(program);
  registerDecisions(program);
  registerNext(program);
  registerCancel(program);
  registerReport(program);
  registerAnalyze(program);
  registerTeardown(program);
  registerDevServer(program);
  registerSandbox(program);
  registerPlan(program);
  registerDoctor(program);
  registerCompletion(program);
  for (const cmd of program.commands) {
    cmd.exitOverride();
    for (const sub of cmd.commands) sub.exitOverride();
  }
  return program;
}

/** One line per user error, the contract's exit codes, and a stack only when asked for. */
export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (err) {
    process.exitCode = exitFor(err);
  }
  // A command is done when its action is: a stray socket (a watch, a gRPC channel) must not keep
  // the CLI alive. Long-running commands (worker, dev-server's child) return only when finished.
  process.exit(process.exitCode ?? 0);
}

function exitFor(err: unknown): number {
  if (err instanceof CommanderError) {
    // --help and --version end through here too, with exit code 0.
    return err.exitCode === 0 ? 0 : ExitCode.usage;
  }
  if (err instanceof UserFacingError) {
    process.stderr.write(`udn-demo: ${err.message}\n`);
    return err.exitCode;
  }
  process.stderr.write(`udn-demo: ${firstLine(errorMessage(err))}\n`);
  if (process.env.UDN_DEMO_DEBUG) process.stderr.write(`${(err as Error)?.stack ?? ''}\n`);
  else process.stderr.write('udn-demo: (unexpected error; set UDN_DEMO_DEBUG=1 for details)\n');
  return ExitCode.infrastructure;
}
