import type { Command } from 'commander';
import type { DoctorOptions } from '../actions/doctor.ts';

export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description('check this machine for a run: one line per tool, port, limit and binary, then whether `run --sandbox` (and kind) can start; starts, builds and downloads nothing')
    .option('-c, --config <file>', 'YAML config file (see config.example.yaml): its Temporal address and kind settings')
    .option('--json', 'print one JSON document: {checks, sandbox: {canRun, reasons}, kind: {canRun, reasons}}')
    .addHelpText('after', '\nExit codes: 0 `run --sandbox` can start, 2 usage/config error, 3 it cannot.')
    .action(async (opts: DoctorOptions) => (await import('../actions/doctor.ts')).doctor(opts));
}
