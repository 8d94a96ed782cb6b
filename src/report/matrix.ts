import type { CheckResult, ProbeOutcome } from '../model/result.ts';

export interface MatrixCell {
  check: string;
  expect: ProbeOutcome['expect'];
  reached: boolean;
  ok: boolean;
}

/**
 * Sources × targets, as the Kubernetes network-policy e2e prints its truth tables: for each
 * pair, every check that probed it with what was expected, what was observed, and whether they
 * agree.
 */
export function reachabilityMatrix(checks: readonly CheckResult[]) {
  const cells = new Map<string, MatrixCell[]>();
  const sources = new Set<string>();
  const targets = new Set<string>();
  for (const c of checks) {
    for (const p of c.probes ?? []) {
      const target = `${p.to} ${p.protocol}${p.port === undefined ? '' : `:${p.port}`}`;
      sources.add(p.from);
      targets.add(target);
      const key = `${p.from}\u0000${target}`;
      cells.set(key, [...(cells.get(key) ?? []), { check: c.id, expect: p.expect, reached: p.reached, ok: p.verdict === 'pass' }]);
    }
  }
  return { sources: [...sources].sort(), targets: [...targets].sort(), cell: (source: string, target: string) => cells.get(`${source}\u0000${target}`) ?? [] };
}

/** `✓ deny → blocked (netpol-blocks-9000)` */
export function describeCell(c: MatrixCell): string {
  return `${c.ok ? '✓' : '✗'} ${c.expect} → ${c.reached ? 'reached' : 'blocked'} (${c.check})`;
}
