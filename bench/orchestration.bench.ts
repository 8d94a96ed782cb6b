/**
 * Item 2 of [8/8], split into its parts by item 3 of [5/5]: what Temporal adds on top of the
 * demo's own work. DemoWorkflow on the sandbox with the `instant` latency profile, against the same
 * activity functions called in sequence by a plain script (bench/plain-demo.ts), alternating, on
 * one sandbox, in one run. Per step: the workflow's step time minus the script's for the same step
 * in the same round, split along the step's activities as its history records them
 * (bench/history-parts.ts): the workflow task that schedules each one, its dispatch, its run in
 * the worker beyond the direct call, the wake-up after it. One more run has a follower polling as
 * `udn-demo run` does. Temporal's floor — the same parts for a workflow of no-op steps on this
 * machine, with activity eager execution on and off — says how much of the overhead is ours.
 */
import { join } from 'node:path';
import { defineBenchmark, dist, ratio, type Figure } from './harness.ts';
import { activityParts, stepParts, type ActivityParts, type StepParts } from './history-parts.ts';

const FLOOR_STEPS = 30;

export default defineBenchmark({
  title: 'Orchestration overhead: DemoWorkflow vs. a plain script (sandbox, instant profile)',
  async run(ctx): Promise<Figure[]> {
    const [{ demoBench }, { temporalFloor, ACTIVITY_MS }] = await Promise.all([import('./demo-runs.ts'), import('./temporal-floor.ts')]);
    const bench = await demoBench({ profile: 'instant', scale: 1 }, join(ctx.tmpDir, 'sdk.log'));
    const rounds = ctx.quick ? 1 : 2;
    const steps: StepParts[] = [];
    const followedSteps: StepParts[] = [];
    const activities: ActivityParts[] = [];
    const temporalTotals: number[] = [];
    const plainTotals: number[] = [];
    try {
      // The first run creates the sandbox cluster; neither side should pay for that.
      ctx.log('warm-up: plain run (creates the sandbox)');
      await bench.plain(bench.input());
      for (let round = 1; round <= rounds + 1; round++) {
        // The last round is followed, as `udn-demo run` follows a run; its steps are counted apart.
        const followed = round > rounds;
        const viaTemporal = await bench.viaTemporal(bench.input(), { followed });
        const plain = await bench.plain(bench.input());
        ctx.log(`round ${round}/${rounds + 1}${followed ? ' (followed)' : ''}: DemoWorkflow ${(viaTemporal.totalMs / 1000).toFixed(1)} s, plain script ${(plain.totalMs / 1000).toFixed(1)} s`);
        const acts = activityParts(viaTemporal.history?.events ?? []);
        const split = stepParts(viaTemporal.spans ?? [], new Map(plain.steps.map((s) => [s.id, s.ms])), acts);
        if (followed) {
          followedSteps.push(...split);
          continue;
        }
        temporalTotals.push(viaTemporal.totalMs);
        plainTotals.push(plain.totalMs);
        activities.push(...acts);
        steps.push(...split);
      }
    } finally {
      await bench.close();
    }
    ctx.log(`Temporal's floor: ${FLOOR_STEPS} steps that only sleep, eager execution on, then off`);
    const floorEager = await temporalFloor({ eager: true, steps: FLOOR_STEPS, runs: 2 });
    const floorPolled = await temporalFloor({ eager: false, steps: FLOOR_STEPS, runs: 2 });

    const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
    /** One floor step beyond its activity's own sleep: what Temporal costs it. */
    const floorStep = (a: ActivityParts) => a.scheduleTaskMs + a.dispatchMs + a.runMs - ACTIVITY_MS + a.wakeupMs;
    const eager = activities.filter((a) => a.eager).length;
    const worst = [...steps].sort((a, b) => b.overheadMs - a.overheadMs).slice(0, 3);
    ctx.note(`${rounds} rounds, each a DemoWorkflow run and a plain run from a cluster without the demo's namespaces; per-step figures pair the two runs of a round; one more round's DemoWorkflow run was followed (progress query and describe every 500 ms, as \`udn-demo run\` does)`);
    ctx.note('step times of the workflow are its own timestamps (workflow task time, ms resolution); a negative overhead is the noise of the emulated waits between two runs');
    ctx.note(`largest per-step differences: ${worst.map((w) => `${w.id} ${Math.round(w.overheadMs)} ms`).join(', ')}`);
    ctx.note(`${steps.length} steps ran ${activities.length} activities (${(activities.length / steps.length).toFixed(2)} a step); ${eager} of them started eagerly (scheduled → started under 1 ms, by the worker that scheduled them)`);
    ctx.note(`Temporal's floor: NoopSteps(${FLOOR_STEPS}) × 2 on a dev server of its own, each activity a ${ACTIVITY_MS} ms sleep, the worker warmed up by one run first`);
    return [
      dist('overhead per step: workflow step time − plain step time', 'ms', steps.map((s) => s.overheadMs), { key: true }),
      ratio('total: DemoWorkflow / plain script (medians)', '×', median(temporalTotals) / median(plainTotals), { key: true }),
      dist('overhead per step, followed as `udn-demo run` follows', 'ms', followedSteps.map((s) => s.overheadMs)),
      dist('part per step: workflow tasks that schedule its activities (task started → completed)', 'ms', steps.map((s) => s.workflowTaskMs)),
      dist('part per step: activity dispatch (scheduled → started)', 'ms', steps.map((s) => s.dispatchMs)),
      dist('part per step: activity run in the worker − the direct call', 'ms', steps.map((s) => s.activityRunMs)),
      dist('part per step: wake-up (activity closed → next workflow task started)', 'ms', steps.map((s) => s.wakeupMs)),
      dist('part per step: the rest (child workflows, tasks without an activity)', 'ms', steps.map((s) => s.otherMs)),
      ratio('activities started eagerly / all', 'ratio', eager / activities.length, { key: true }),
      dist('DemoWorkflow: workflow task per activity (started → completed)', 'ms', activities.map((a) => a.scheduleTaskMs)),
      dist("Temporal's floor: workflow task per activity (a workflow that does nothing else)", 'ms', floorEager.map((a) => a.scheduleTaskMs)),
      dist("Temporal's floor: one step of a workflow that does nothing else (task + dispatch + run − the activity's own time + wake-up)", 'ms', floorEager.map(floorStep), { key: true }),
      dist("Temporal's floor: the same, eager execution off", 'ms', floorPolled.map(floorStep)),
      ratio("overhead per step ÷ Temporal's floor per step (medians)", '×', median(steps.map((s) => s.overheadMs)) / median(floorEager.map(floorStep))),
      dist('DemoWorkflow total', 'ms', temporalTotals),
      dist('plain script total', 'ms', plainTotals),
    ];
  },
});
