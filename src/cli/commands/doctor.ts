import type { Command } from 'commander';
import { loadConfig } from '../../config/load.ts';
import { runChecks } from '../../doctor/checks.ts';
import { systemProbe } from '../../doctor/probe.ts';
import { doctorReport, renderReport } from '../../doctor/report.ts';
import { ExitCode } from '../../errors.ts';
import { printJson } from '../io.ts';

export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description('check this machine for a run: one line per tool, port, limit and binary, then whether `run --sandbox` (and kind) can start; starts, builds and downloads nothing')
    .option('-c, --config <file>', 'YAML config file (see config.example.yaml): its Temporal address and kind settings')
    .option('--json', 'print one JSON document: {checks, sandbox: {canRun, reasons}, kind: {canRun, reasons}}')
    .addHelpText('after', '\nExit codes: 0 `run --sandbox` can start, 2 usage/config error, 3 it cannot.')
    .action(async (opts: { config?: string; json?: boolean }) => {
      const report = doctorReport(await runChecks(await loadConfig(opts.config), systemProbe()));
      if (opts.json) printJson(report);
      else process.stdout.write(`${renderReport(report)}\n`);
      process.exitCode = report.sandbox.canRun ? ExitCode.passed : ExitCode.infrastructure;
    });
}
