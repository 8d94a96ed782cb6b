/** The report formats, apart from their writers: `udn-demo report --help` names them without loading any writer. */
export const REPORT_FORMATS = ['md', 'html', 'json', 'junit'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
