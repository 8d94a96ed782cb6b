import type { Command } from 'commander';
import type { AnalyzeOptions } from '../actions/analyze.ts';

export function registerAnalyze(program: Command): void {
  program
    .command('analyze')
    .description('judge iperf3 (--json or text) and ping -D captures made elsewhere: did the connection survive, and how long was it down?')
    .argument('<file...>', 'captures: iperf3 client output (JSON or text), ping output (-D timestamps give the best resolution)')
    .option('--json', 'print one JSON object per file (an array)')
    .addHelpText('after', '\nExit codes: 0 every connection survived, 1 one broke, 2 a file is unreadable or not iperf3/ping output.')
    .action(async (files: string[], opts: AnalyzeOptions) => (await import('../actions/analyze.ts')).analyze(files, opts));
}
