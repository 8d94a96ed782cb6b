import { CancellationScope, isCancellation, patched, setHandler } from '@temporalio/workflow';
import type { DemoResult } from '../model/result.ts';
import { scenarioOf } from '../scenarios/compose.ts';
import { NAMESPACE_ISOLATION } from '../scenarios/namespace-isolation.ts';
import type { StepDef } from '../scenarios/types.ts';
import type { DemoInput } from './demo-input.ts';
import { cleanupScopeSignal } from './operator-messages.ts';
import { PresenterGate } from './presenter.ts';
import { ScenarioRun } from './scenario-run.ts';
import { runAsGraph } from './step-graph.ts';
import { StatusAttribute } from './status-attribute.ts';
import { StepTracker } from './step-tracker.ts';

/** The first scenario's order: the one a presenter follows (and every run before there were two). */
export const NARRATIVE_ORDER: readonly string[] = NAMESPACE_ISOLATION.steps.map((s) => s.id);

/**
 * Runs the scenarios' steps in the table's order, or in `order` (or as a graph, `ordering:
 * fast`); every side effect happens in an activity. With `operated`, a step that fails for good
 * waits for an operator, and a cancellation removes what the run created before the run ends.
 */
export async function runDemo(input: DemoInput, order?: readonly string[], opts: { operated?: boolean } = {}): Promise<DemoResult> {
  // Runs started before there were several scenarios ran the first one.
  const scenario = scenarioOf(input.scenarios ?? ['namespace-isolation'], input.scenario);
  // A step added after runs were recorded is left out of their replay (they ran without it).
  const steps = (scenario.steps as readonly StepDef[]).filter((s) => s.since === undefined || patched(s.since));
  const tracker = new StepTracker(steps, new StatusAttribute(input.statusAttribute === true));
  const run = new ScenarioRun(input, scenario, tracker);
  const byId = new Map(steps.map((s) => [s.id, s]));
  const gate = input.presenter ? new PresenterGate(tracker.result, () => tracker.publish()) : undefined;
  const step = async (id: string) => {
    const def = byId.get(id)!;
    await gate?.before(id);
    return tracker.run(id, (act, round) => run.step(def, act, round), { skippable: def.skippable === true });
  };
  const sequence = async () => {
    // A presenter shows one step at a time: the talk's order.
    if (input.ordering === 'fast' && !gate) await runAsGraph(step, steps);
    else for (const id of order ?? steps.map((s) => s.id)) if (byId.has(id)) await step(id);
    return tracker.finish();
  };
  if (!opts.operated) return sequence();
  tracker.useDesk(input.operator?.decisionTimeoutSeconds ?? 0);
  let removeCluster = false;
  setHandler(cleanupScopeSignal, (scope) => void (removeCluster = scope.removeCluster));
  try {
    return await sequence();
  } catch (err) {
    if (!isCancellation(err)) throw err;
    tracker.cancelled(await CancellationScope.nonCancellable(() => run.cleanup(removeCluster)));
    throw err;
  } finally {
    // A cleanup that removed the cluster took its Lease with it.
    if (!removeCluster) await run.hold.release();
  }
}

export async function DemoWorkflow(input: DemoInput): Promise<DemoResult> {
  // Runs recorded before operator decisions existed replay on the path they took.
  return runDemo(input, undefined, { operated: patched('operator-decisions') });
}
