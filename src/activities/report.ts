import { paths } from '../config/paths.ts';
import { loadReportData } from '../report/data.ts';
import { runDir, writeReports } from '../report/write.ts';
import type { ReportFiles, WriteReportRequest } from '../model/activities.ts';

/** Markdown, HTML (with the migration chart), JSON and JUnit, in the run's directory. */
export async function writeReport(req: WriteReportRequest): Promise<ReportFiles> {
  const data = await loadReportData(req.result);
  return { files: await writeReports(data, runDir(paths.dataDir, req.result.workflowId)) };
}
