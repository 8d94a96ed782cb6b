import type { Command } from 'commander';
import type { ReportOptions } from '../actions/report.ts';
import { REPORT_FORMATS } from '../../report/formats.ts';

export function registerReport(program: Command): void {
  program
    .command('report')
    .description("write a run's report: Markdown, HTML with the migration chart, result JSON, JUnit XML")
    .argument('<workflowId>', 'the run, as printed by `udn-demo run` or `udn-demo list`')
    .option('-c, --config <file>', 'YAML config file')
    .option('-f, --format <formats>', `comma-separated: ${REPORT_FORMATS.join(', ')}`, REPORT_FORMATS.join(','))
    .option('-o, --out <dir>', "directory to write to (default: the run's directory under the data dir)")
    .addHelpText('after', '\nPrints the paths written, one per line. Exit codes: 0 written, 2 bad input, 3 server unreachable.')
    .action(async (workflowId: string, opts: ReportOptions) => (await import('../actions/report.ts')).report(workflowId, opts));
}
