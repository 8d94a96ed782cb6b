import type { ReportData } from './data.ts';
import { matrixRows, reachabilityMatrices } from './matrix.ts';
import { migrationRows, serviceTables } from './summary.ts';

const cell = (s: string) => s.replaceAll('|', '\\|').replaceAll('\n', '<br>');

export function markdownReport(d: ReportData): string {
  const r = d.result;
  const out: string[] = [
    `# udn-demo run ${r.workflowId}: ${r.status.toUpperCase()}`,
    '',
    `Run ${r.runId}, report generated ${d.generatedAt}.${r.failure ? ` Stopped at **${r.failure.step}**: ${r.failure.message}` : ''}`,
    '',
    '## Checks',
    '',
    '| | check | expected | observed |',
    '|---|---|---|---|',
    ...r.checks.map((c) => `| ${c.passed ? '✅' : '❌'} | **${c.id}**<br>${cell(c.description)} | ${cell(c.expected)} | ${cell(c.observed)} |`),
  ];
  const matrices = reachabilityMatrices(r.checks);
  if (matrices.length > 0) out.push('', '## Reachability: expected and observed', '');
  for (const m of matrices) {
    const { header, rows } = matrixRows(m);
    out.push(`### ${m.group} (${m.checks.join(', ')})`, '', `| ${header.map(cell).join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`), '');
  }
  if (r.migration) {
    out.push('', '## Live migration', '', '| | |', '|---|---|', ...migrationRows(r.migration).map(([k, v]) => `| ${k} | ${cell(v)} |`));
    if (r.migration.captures.length > 0) out.push('', `Captures: ${r.migration.captures.map((f) => `\`${f}\``).join(', ')}`);
  }
  if (r.services?.length) out.push('', '## Services', '');
  for (const t of serviceTables(r.services ?? [], r.checks)) {
    out.push(`| ${t.header.map(cell).join(' | ')} |`, `|${t.header.map(() => '---').join('|')}|`, ...t.rows.map((row) => `| ${row.map(cell).join(' | ')} |`), '');
  }
  out.push('', '## Steps', '', '| step | state | attempts | outcome |', '|---|---|---|---|', ...r.steps.map((s) => `| ${s.id} | ${s.state} | ${s.attempts} | ${cell(s.outcome)} |`));
  out.push('', '## Evidence', '');
  for (const c of r.checks) {
    out.push(`### ${c.id}`, '', ...c.evidence.map((e) => ['```', e, '```'].join('\n')), '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
