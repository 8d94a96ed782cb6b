import { trafficChart } from './chart.ts';
import type { ReportData } from './data.ts';
import { matrixRows, reachabilityMatrices } from './matrix.ts';
import { migrationRows, serviceTables } from './summary.ts';

const esc = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 1100px; color: #222; }
h1 { font-size: 1.5rem; } h2 { margin-top: 2rem; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
th, td { border: 1px solid #ddd; padding: .35rem .5rem; text-align: left; vertical-align: top; }
th { background: #f5f5f5; }
.pass { color: #1a7f37; font-weight: 600; } .fail { color: #cf222e; font-weight: 600; }
.status { display: inline-block; padding: .1rem .6rem; border-radius: 1rem; color: white; }
.status.passed { background: #1a7f37; } .status.failed, .status.cancelled { background: #cf222e; } .status.running { background: #9a6700; }
pre { background: #f6f8fa; padding: .5rem; overflow-x: auto; font-size: 12px; }
details { margin: .3rem 0; }
`;

/** A single self-contained page: no script, no external resource; the chart is inline SVG. */
export async function htmlReport(d: ReportData): Promise<string> {
  const r = d.result;
  const parts: string[] = [
    `<h1>udn-demo run <code>${esc(r.workflowId)}</code> <span class="status ${r.status}">${r.status.toUpperCase()}</span></h1>`,
    `<p>Run ${esc(r.runId)}; report generated ${esc(d.generatedAt)}.${r.failure ? ` Stopped at <b>${esc(r.failure.step)}</b>: ${esc(r.failure.message)}` : ''}</p>`,
    '<h2>Checks</h2>',
    '<table><tr><th></th><th>check</th><th>expected</th><th>observed</th></tr>',
    ...r.checks.map((c) => `<tr><td class="${c.passed ? 'pass' : 'fail'}">${c.passed ? 'PASS' : 'FAIL'}</td><td><b>${esc(c.id)}</b><br>${esc(c.description)}</td><td>${esc(c.expected)}</td><td>${esc(c.observed)}</td></tr>`),
    '</table>',
  ];
  const matrices = reachabilityMatrices(r.checks);
  if (matrices.length > 0) parts.push('<h2>Reachability: expected and observed</h2>');
  for (const m of matrices) {
    const { header, rows } = matrixRows(m);
    parts.push(`<h3>${esc(m.group)} <small>(${esc(m.checks.join(', '))})</small></h3><table>`, `<tr>${header.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>`);
    for (const [source, ...cells] of rows) parts.push(`<tr><th>${esc(source!)}</th>${cells.map((c) => `<td class="${c.startsWith('✗') ? 'fail' : c.startsWith('✓') ? 'pass' : ''}">${esc(c)}</td>`).join('')}</tr>`);
    parts.push('</table>');
  }
  if (r.migration) {
    parts.push('<h2>Live migration</h2>');
    const t = d.traffic;
    if (t && (t.throughput.length > 0 || t.rtt.length > 0)) parts.push(`<figure>${await trafficChart(t)}<figcaption>Blue: the migration (VMIM start to end). Red: the longest outage measured.</figcaption></figure>`);
    for (const p of t?.problems ?? []) parts.push(`<p class="fail">${esc(p)}</p>`);
    parts.push('<table>', ...migrationRows(r.migration).map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`), '</table>');
  }
  if (r.services?.length) parts.push('<h2>Services</h2>');
  for (const t of serviceTables(r.services ?? [], r.checks)) {
    parts.push('<table>', `<tr>${t.header.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>`);
    for (const row of t.rows) parts.push(`<tr>${row.map((c) => `<td class="${c.endsWith(': fail') ? 'fail' : c.endsWith(': pass') ? 'pass' : ''}">${esc(c)}</td>`).join('')}</tr>`);
    parts.push('</table>');
  }
  parts.push('<h2>Steps</h2><table><tr><th>step</th><th>state</th><th>attempts</th><th>started</th><th>outcome</th></tr>');
  parts.push(...r.steps.map((s) => `<tr><td>${esc(s.id)}</td><td>${esc(s.state)}</td><td>${s.attempts}</td><td>${esc(s.startedAt ?? '')}</td><td>${esc(s.outcome)}</td></tr>`), '</table>');
  parts.push('<h2>Evidence</h2>');
  for (const c of r.checks) parts.push(`<details><summary><b>${esc(c.id)}</b></summary>${c.evidence.map((e) => `<pre>${esc(e)}</pre>`).join('')}</details>`);
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>udn-demo ${esc(r.workflowId)}</title><style>${STYLE}</style></head><body>\n${parts.join('\n')}\n</body></html>\n`;
}
