/** Benchmark records as text: the terminal table and docs/PERFORMANCE.md's generated section. */
import type { BenchRecord, Figure } from './harness.ts';

/** 3 significant digits, thousands separated; integers above 1000 as they are. */
export function num(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const abs = Math.abs(x);
  if (abs >= 1000) return Math.round(x).toLocaleString('en-US');
  if (abs === 0) return '0';
  return Number(x.toPrecision(3)).toString();
}

function cells(f: Figure): string[] {
  if ('ratio' in f) return [num(f.ratio), '', '', '', ''];
  const d = f.distribution;
  return [num(d.median), num(d.p95), num(d.min), num(d.max), String(d.n)];
}

export function machineLine(r: BenchRecord): string {
  const m = r.machine;
  return `${r.date.slice(0, 16).replace('T', ' ')} UTC · ${m.cores} cores (${m.cpuModel}) · ${m.memoryGiB} GiB · Node ${m.node} · Temporal CLI ${m.temporalCli} · load ${m.loadAverage1m} at start · ${Math.round(r.durationS)} s${r.quick ? ' · **quick run (BENCH_QUICK=1), not for comparison**' : ''}`;
}

/** The table docs/PERFORMANCE.md shows for one record. */
export function markdownTable(r: BenchRecord): string {
  const rows = r.figures.map((f) => `| ${[f.figure + (f.note ? ` — ${f.note}` : ''), ...cells(f), f.unit].join(' | ')} |`);
  return [
    `### ${r.name}: ${r.title}`,
    '',
    machineLine(r),
    '',
    '| figure | median or ratio | p95 | min | max | n | unit |',
    '|---|--:|--:|--:|--:|--:|---|',
    ...rows,
    ...(r.notes.length > 0 ? ['', ...r.notes.map((n) => `- ${n}`)] : []),
  ].join('\n');
}

export function keyFigures(records: readonly BenchRecord[]): string {
  const lines = records.flatMap((r) =>
    r.figures
      .filter((f) => f.key)
      .map((f) => `- **${r.name}** · ${f.figure}: ${'ratio' in f ? `**${num(f.ratio)}**${f.unit === 'ratio' ? '' : ` ${f.unit}`}` : `median **${num(f.distribution.median)}** ${f.unit} (p95 ${num(f.distribution.p95)}, n ${f.distribution.n})`}`),
  );
  return lines.length > 0 ? lines.join('\n') : '_No key figures yet._';
}

/** For the terminal: aligned columns. */
export function textTable(r: BenchRecord): string {
  const head = ['figure', 'median|ratio', 'p95', 'min', 'max', 'n', 'unit'];
  const rows = [head, ...r.figures.map((f) => [f.figure, ...cells(f), f.unit])];
  const widths = head.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const line = (row: string[]) => row.map((c, i) => (i === 0 || i === row.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  return [`${r.name}: ${r.title}`, machineLine(r).replaceAll('**', ''), '', ...rows.map(line), ...r.notes.map((n) => `  · ${n}`)].join('\n');
}
