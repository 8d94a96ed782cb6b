/**
 * Item 2 of [8/8]: what Temporal adds on top of the demo's own work. DemoWorkflow on the sandbox
 * with the `instant` latency profile, against the same activity functions called in sequence by a
 * plain script (bench/plain-demo.ts), alternating, on one sandbox, in one run. Per step: the
 * workflow's step time minus the script's for the same step in the same round (scheduling an
 * activity, the worker polling it, the result travelling back, the workflow task that decides the
 * next one). Overall: the ratio of the two totals.
 */
import { join } from 'node:path';
import { defineBenchmark, dist, ratio, type Figure } from './harness.ts';

export default defineBenchmark({
  title: 'Orchestration overhead: DemoWorkflow vs. a plain script (sandbox, instant profile)',
  async run(ctx): Promise<Figure[]> {
    const { demoBench } = await import('./demo-runs.ts');
    const bench = await demoBench({ profile: 'instant', scale: 1 }, join(ctx.tmpDir, 'sdk.log'));
    const rounds = ctx.quick ? 1 : 2;
    const perStep: number[] = [];
    const byStep: { id: string; ms: number }[] = [];
    const temporalTotals: number[] = [];
    const plainTotals: number[] = [];
    try {
      // The first run creates the sandbox cluster; neither side should pay for that.
      ctx.log('warm-up: plain run (creates the sandbox)');
      await bench.plain(bench.input());
      for (let round = 1; round <= rounds; round++) {
        const viaTemporal = await bench.viaTemporal(bench.input());
        const plain = await bench.plain(bench.input());
        ctx.log(`round ${round}/${rounds}: DemoWorkflow ${(viaTemporal.totalMs / 1000).toFixed(1)} s, plain script ${(plain.totalMs / 1000).toFixed(1)} s`);
        temporalTotals.push(viaTemporal.totalMs);
        plainTotals.push(plain.totalMs);
        for (const step of viaTemporal.steps) {
          const same = plain.steps.find((p) => p.id === step.id);
          if (same) {
            perStep.push(step.ms - same.ms);
            byStep.push({ id: step.id, ms: step.ms - same.ms });
          }
        }
      }
    } finally {
      await bench.close();
    }
    ctx.note(`${rounds} rounds, each a DemoWorkflow run and a plain run from a cluster without the demo's namespaces; per-step figures pair the two runs of a round`);
    ctx.note('step times of the workflow are its own timestamps (workflow task time, ms resolution); a negative overhead is the noise of the emulated waits between two runs');
    const worst = [...byStep].sort((a, b) => b.ms - a.ms).slice(0, 3);
    ctx.note(`largest per-step differences: ${worst.map((w) => `${w.id} ${Math.round(w.ms)} ms`).join(', ')}`);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
    return [
      dist('overhead per step: workflow step time − plain step time', 'ms', perStep, { key: true }),
      ratio('total: DemoWorkflow / plain script (medians)', '×', median(temporalTotals) / median(plainTotals), { key: true }),
      dist('DemoWorkflow total', 'ms', temporalTotals),
      dist('plain script total', 'ms', plainTotals),
    ];
  },
});
