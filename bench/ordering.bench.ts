/**
 * Item 3 of [8/8]: the critical path. The `realistic` latency profile scaled down (×0.02), the
 * demo run three ways on one sandbox: DemoWorkflow with `ordering: narrative` (the talk's order),
 * with `ordering: fast` (each step once what it needs is done), and the plain script (the same
 * activities in sequence, no Temporal) as the sequential baseline. The critical path is the longest
 * chain of the step graph (src/workflows/step-graph.ts), weighted by the step times of the
 * narrative run, where each step ran alone: no ordering can finish sooner than that.
 */
import { join } from 'node:path';
import type { StepId } from '../src/scenarios/index.ts';
import { NAMESPACE_ISOLATION } from '../src/scenarios/namespace-isolation.ts';
import { criticalPath } from '../src/workflows/step-graph.ts';
import { defineBenchmark, dist, ratio, type Figure } from './harness.ts';

const SCALE = 0.02;

export default defineBenchmark({
  title: `Ordering: makespan of narrative and fast vs. a sequential script and the critical path (sandbox, realistic ×${SCALE})`,
  async run(ctx): Promise<Figure[]> {
    const { demoBench } = await import('./demo-runs.ts');
    const bench = await demoBench({ profile: 'realistic', scale: SCALE }, join(ctx.tmpDir, 'sdk.log'));
    const rounds = ctx.quick ? 1 : 2;
    const totals = { sequential: [] as number[], narrative: [] as number[], fast: [] as number[], critical: [] as number[] };
    try {
      ctx.log('warm-up: plain run (creates the sandbox)');
      await bench.plain(bench.input());
      for (let round = 1; round <= rounds; round++) {
        const sequential = await bench.plain(bench.input());
        const narrative = await bench.viaTemporal(bench.input({ ordering: 'narrative' }));
        const fast = await bench.viaTemporal(bench.input({ ordering: 'fast' }));
        const alone = Object.fromEntries(narrative.steps.map((s) => [s.id, s.ms])) as Record<StepId, number>;
        const path = criticalPath(NAMESPACE_ISOLATION.steps, alone);
        ctx.log(`round ${round}/${rounds}: sequential ${(sequential.totalMs / 1000).toFixed(1)} s, narrative ${(narrative.totalMs / 1000).toFixed(1)} s, fast ${(fast.totalMs / 1000).toFixed(1)} s, critical path ${(path.totalMs / 1000).toFixed(1)} s`);
        if (round === 1) ctx.note(`critical path: ${path.steps.join(' → ')}`);
        totals.sequential.push(sequential.totalMs);
        totals.narrative.push(narrative.totalMs);
        totals.fast.push(fast.totalMs);
        totals.critical.push(path.totalMs);
      }
    } finally {
      await bench.close();
    }
    ctx.note(`${rounds} rounds; each: the plain script, DemoWorkflow narrative, DemoWorkflow fast, each from a cluster without the demo's namespaces`);
    const ratios = (a: number[], b: number[]) => a.map((x, i) => x / b[i]!);
    return [
      dist('makespan: fast / sequential script', '×', ratios(totals.fast, totals.sequential), { key: true }),
      dist('makespan: narrative / sequential script', '×', ratios(totals.narrative, totals.sequential), { key: true }),
      dist('makespan: fast / critical path', '×', ratios(totals.fast, totals.critical), { key: true }),
      dist('makespan: narrative / critical path', '×', ratios(totals.narrative, totals.critical)),
      dist('sequential script makespan', 'ms', totals.sequential),
      dist('critical path (narrative step times)', 'ms', totals.critical),
    ];
  },
});
