import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ReportData } from './data.ts';
import { REPORT_FORMATS, type ReportFormat } from './formats.ts';
import { htmlReport } from './html.ts';
import { junitReport } from './junit.ts';
import { markdownReport } from './markdown.ts';

const FILE: Record<ReportFormat, string> = { md: 'report.md', html: 'report.html', json: 'result.json', junit: 'junit.xml' };

/** Writes the chosen formats into `dir`; returns the paths, in the order asked. */
export async function writeReports(d: ReportData, dir: string, formats: readonly ReportFormat[] = REPORT_FORMATS): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const files: string[] = [];
  for (const f of formats) {
    const content = f === 'md' ? markdownReport(d) : f === 'html' ? await htmlReport(d) : f === 'junit' ? junitReport(d) : `${JSON.stringify(d.result, null, 2)}\n`;
    const path = join(dir, FILE[f]);
    await writeFile(path, content);
    files.push(path);
  }
  return files;
}

/** Where a run's report and captures live by default. */
export function runDir(dataDir: string, workflowId: string): string {
  return join(dataDir, 'runs', workflowId.replace(/[^a-zA-Z0-9._-]/g, '-'));
}
