import { resolve } from 'node:path';
import { connectClient } from '../../client/connection.ts';
import { loadConfig } from '../../config/load.ts';
import { paths } from '../../config/paths.ts';
import { InputError } from '../../errors.ts';
import { loadReportData } from '../../report/data.ts';
import { REPORT_FORMATS, type ReportFormat } from '../../report/formats.ts';
import { runDir, writeReports } from '../../report/write.ts';
import { fetchResult } from '../demo-result/fetch-result.ts';
import { info } from '../io.ts';
import { validateWorkflowId } from '../workflow-id.ts';

export interface ReportOptions {
  config?: string;
  format: string;
  out?: string;
}

export async function report(workflowId: string, opts: ReportOptions): Promise<void> {
  validateWorkflowId(workflowId);
  const formats = parseFormats(opts.format);
  const { config } = await loadConfig(opts.config);
  const client = await connectClient(config.temporal);
  try {
    const { running, result } = await fetchResult(client, workflowId, config.temporal.namespace);
    if (!result) throw new InputError(`run ${workflowId} is running and no worker answered: nothing to report yet`);
    if (running) info(`run ${workflowId} is still running: reporting its progress so far`);
    const files = await writeReports(await loadReportData(result), opts.out ? resolve(opts.out) : runDir(paths.dataDir, workflowId), formats);
    process.stdout.write(`${files.join('\n')}\n`);
  } finally {
    await client.connection.close();
  }
}

function parseFormats(text: string): ReportFormat[] {
  const asked = text.split(',').map((f) => f.trim()).filter(Boolean);
  const unknown = asked.filter((f) => !(REPORT_FORMATS as readonly string[]).includes(f));
  if (asked.length === 0 || unknown.length > 0) throw new InputError(`--format must list ${REPORT_FORMATS.join(', ')}; got "${text}"`);
  return [...new Set(asked)] as ReportFormat[];
}
