import type { CheckResult, ProbeOutcome } from '../model/result.ts';

/** One check group's probes as two truth tables over the same sources × targets. */
export interface GroupMatrix {
  /** The step that decided the checks (or the check itself, in runs recorded before groups). */
  group: string;
  checks: string[];
  sources: string[];
  targets: string[];
  /** `allow` / `deny`, or '' where nothing was probed. */
  expected(source: string, target: string): string;
  /** `reached` / `blocked` (`?` when inconclusive), or ''. */
  observed(source: string, target: string): string;
  /** Where observed disagrees with expected. */
  mismatch(source: string, target: string): boolean;
}

/**
 * Per check group, the expected and the observed reachability over sources × targets, as the
 * Kubernetes network-policy e2e prints its truth tables, with the cells that disagree marked.
 */
export function reachabilityMatrices(checks: readonly CheckResult[]): GroupMatrix[] {
  const groups = new Map<string, { checks: string[]; probes: ProbeOutcome[] }>();
  for (const c of checks) {
    if (!c.probes?.length) continue;
    const key = c.group ?? c.id;
    const g = groups.get(key) ?? { checks: [], probes: [] };
    g.checks.push(c.id);
    g.probes.push(...c.probes);
    groups.set(key, g);
  }
  return [...groups].map(([group, g]) => {
    const cell = (s: string, t: string) => g.probes.filter((p) => p.from === s && targetOf(p) === t);
    return {
      group,
      checks: g.checks,
      sources: [...new Set(g.probes.map((p) => p.from))].sort(),
      targets: [...new Set(g.probes.map(targetOf))].sort(),
      expected: (s, t) => cell(s, t).map((p) => p.expect).join(' '),
      observed: (s, t) => cell(s, t).map((p) => (p.verdict === 'inconclusive' ? '?' : p.reached ? 'reached' : 'blocked')).join(' '),
      mismatch: (s, t) => cell(s, t).some((p) => p.verdict !== 'pass'),
    };
  });
}

function targetOf(p: ProbeOutcome): string {
  return `${p.to} ${p.protocol}${p.port === undefined ? '' : `:${p.port}`}`;
}

/** The two tables side by side, one row per source: the expected cells, then the observed ones (✗ where they disagree). */
export function matrixRows(m: GroupMatrix): { header: string[]; rows: string[][] } {
  return {
    header: ['from \\ to', ...m.targets.map((t) => `expected: ${t}`), ...m.targets.map((t) => `observed: ${t}`)],
    rows: m.sources.map((s) => [
      s,
      ...m.targets.map((t) => m.expected(s, t) || '·'),
      ...m.targets.map((t) => {
        const seen = m.observed(s, t);
        return seen ? `${m.mismatch(s, t) ? '✗' : '✓'} ${seen}` : '·';
      }),
    ]),
  };
}
