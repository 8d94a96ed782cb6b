import type { Check, Target } from './check.ts';
import { blocks, verdict, type Verdict } from './verdict.ts';

export interface DoctorReport {
  checks: Check[];
  sandbox: Verdict;
  kind: Verdict;
}

export function doctorReport(checks: Check[]): DoctorReport {
  return { checks, sandbox: verdict(checks, 'sandbox'), kind: verdict(checks, 'kind') };
}

const MARKER: Record<Check['state'], string> = { ok: 'ok', warn: 'warn', missing: 'MISSING', fail: 'FAIL' };

/** One line per check (state, name, detail), then the verdict for both targets. */
export function renderReport(report: DoctorReport): string {
  const width = Math.max(...report.checks.map((c) => c.name.length));
  const lines = report.checks.map((c) => `${MARKER[c.state].padEnd(7)}  ${c.name.padEnd(width)}  ${c.detail}`);
  const blockers = (target: Target) => report.checks.filter((c) => blocks(c, target)).map((c) => c.name).join(', ');
  const sandbox = report.sandbox.canRun ? '`udn-demo run --sandbox` can start' : `\`udn-demo run --sandbox\` cannot start (${blockers('sandbox')})`;
  const kind = report.kind.canRun ? 'a kind run can start' : `a kind run cannot (${blockers('kind')})`;
  return [...lines, `verdict: ${sandbox}; ${kind}`].join('\n');
}
