import { loadConfig } from '../../config/load.ts';
import { runChecks } from '../../doctor/checks.ts';
import { systemProbe } from '../../doctor/probe.ts';
import { doctorReport, renderReport } from '../../doctor/report.ts';
import { ExitCode } from '../../errors.ts';
import { printJson } from '../io.ts';

export interface DoctorOptions {
  config?: string;
  json?: boolean;
}

export async function doctor(opts: DoctorOptions): Promise<void> {
  const report = doctorReport(await runChecks(await loadConfig(opts.config), systemProbe()));
  if (opts.json) printJson(report);
  else process.stdout.write(`${renderReport(report)}\n`);
  process.exitCode = report.sandbox.canRun ? ExitCode.passed : ExitCode.infrastructure;
}
