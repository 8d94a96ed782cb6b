import type { DemoResult, StepRecord } from '../../model/result.ts';
import { stepIdsOfKind } from '../../scenarios/index.ts';
import { formatDuration } from '../duration.ts';

const REPORT_STEPS = stepIdsOfKind('write-report');

const MARK: Record<StepRecord['state'], string> = { pending: '·', running: '▶', succeeded: '✓', failed: '✗', skipped: '↷' };

export function stepLine(step: StepRecord, index: number, total: number): string {
  const n = String(index + 1).padStart(String(total).length);
  const took = step.startedAt && step.endedAt ? ` (${formatDuration(Date.parse(step.endedAt) - Date.parse(step.startedAt))})` : '';
  const retries = step.attempts > 1 ? ` [${step.attempts} attempts]` : '';
  const what = step.outcome || step.title;
  return `${MARK[step.state]} [${n}/${total}] ${step.id}${took}${retries} ${what}`;
}

/** The end-of-run summary a person reads: steps, then every claim with what was observed. */
export function renderResult(result: DemoResult): string {
  const lines = [`Run ${result.workflowId}: ${result.status.toUpperCase()}`, ''];
  result.steps.forEach((s, i) => lines.push(`  ${stepLine(s, i, result.steps.length)}`));
  if (result.checks.length > 0) {
    lines.push('', 'Checks:');
    for (const c of result.checks) lines.push(`  ${c.passed ? 'PASS' : 'FAIL'} ${c.id}: ${c.description}`, `       expected ${c.expected}`, `       observed ${c.observed}`);
  }
  const skipped = result.steps.filter((st) => st.state === 'skipped');
  const byOperator = new Set(result.decisions?.filter((d) => d.action === 'skip').map((d) => d.step));
  const notLanded = skipped.filter((st) => !byOperator.has(st.id));
  if (notLanded.length > 0) lines.push('', `Skipped, not implemented yet: ${notLanded.map((st) => st.id).join(', ')} (the run cannot pass without them)`);
  if (result.decisions?.length) {
    lines.push('', 'Operator decisions:');
    for (const d of result.decisions) lines.push(`  ${d.at} ${d.step}: ${d.action === 'deadline' ? 'nobody answered before the deadline' : d.action} (after: ${d.reason})`);
  }
  if (result.awaiting) lines.push('', ...awaitingLines(result));
  if (result.cleanup) {
    const { removed, error } = result.cleanup;
    lines.push('', `Cancelled; cleanup removed ${removed.length > 0 ? removed.join(', ') : 'nothing (the run had created nothing)'}${error ? `; cleanup failed: ${error}` : ''}`);
  }
  const report = result.steps.find((st) => REPORT_STEPS.includes(st.id) && st.state === 'succeeded');
  if (report) lines.push('', `Report: ${report.outcome.split(', ').join('\n        ')}`);
  const failed = result.steps.find((st) => st.state === 'failed');
  if (failed && result.failure) lines.push('', `Stopped at step ${result.failure.step}: ${result.failure.message}`);
  return lines.join('\n');
}

/** What a run stuck at a failed step waits for, and the commands that answer it. */
export function awaitingLines(result: DemoResult): string[] {
  const a = result.awaiting;
  if (!a) return [];
  const id = result.workflowId;
  return [
    `Waiting for an operator since ${a.since} (until ${a.deadline}, then the run fails): step ${a.step} failed: ${a.reason}`,
    `  udn-demo retry ${id}    run ${a.step} again`,
    `  udn-demo skip ${id}     record it as skipped and go on`,
    `  udn-demo cancel ${id}   stop the run and remove what it created`,
  ];
}
