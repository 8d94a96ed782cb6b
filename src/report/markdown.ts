import type { ReportData } from './data.ts';
import { describeCell, reachabilityMatrix } from './matrix.ts';
import { migrationRows } from './summary.ts';

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
  const m = reachabilityMatrix(r.checks);
  if (m.sources.length > 0) {
    out.push('', '## Reachability (expected → observed)', '', `| from \\ to | ${m.targets.join(' | ')} |`, `|---|${m.targets.map(() => '---').join('|')}|`);
    for (const s of m.sources) out.push(`| ${s} | ${m.targets.map((t) => m.cell(s, t).map(describeCell).join('<br>') || '·').join(' | ')} |`);
  }
  if (r.migration) {
    out.push('', '## Live migration', '', '| | |', '|---|---|', ...migrationRows(r.migration).map(([k, v]) => `| ${k} | ${cell(v)} |`));
    if (r.migration.captures.length > 0) out.push('', `Captures: ${r.migration.captures.map((f) => `\`${f}\``).join(', ')}`);
  }
  out.push('', '## Steps', '', '| step | state | attempts | outcome |', '|---|---|---|---|', ...r.steps.map((s) => `| ${s.id} | ${s.state} | ${s.attempts} | ${cell(s.outcome)} |`));
  out.push('', '## Evidence', '');
  for (const c of r.checks) {
    out.push(`### ${c.id}`, '', ...c.evidence.map((e) => ['```', e, '```'].join('\n')), '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
