import { CLUSTER_WIDE } from './cluster-wide.ts';
import { NAMESPACE_ISOLATION } from './namespace-isolation.ts';
import type { StepAction, StepDef } from './types.ts';

/** Every scenario of the talk, in the talk's order. */
export const SCENARIOS = [NAMESPACE_ISOLATION, CLUSTER_WIDE] as const;

type AnyStep = (typeof SCENARIOS)[number]['steps'][number];
export type StepId = AnyStep['id'];
export type CheckId = Extract<AnyStep, { checks: unknown }>['checks'][number]['id'];

/** Each step once (the scenarios share their first and last steps), in the talk's order. */
const ALL_STEPS: readonly StepDef[] = [...new Map(SCENARIOS.flatMap((s) => s.steps as readonly StepDef[]).map((s) => [s.id, s])).values()];

/** Every step id of every scenario: what config's `timeouts` and `--step` accept. */
export const STEP_IDS = ALL_STEPS.map((s) => s.id) as [StepId, ...StepId[]];

export function stepDef(id: string): StepDef {
  const step = ALL_STEPS.find((s) => s.id === id);
  if (!step) throw new Error(`no step ${id} in any scenario`);
  return step;
}

/** Check ids in the talk's order: reports list checks so, whatever order they were decided in. */
export const CHECK_IDS = ALL_STEPS.flatMap((s) => (s.checks ?? []).map((c) => c.id)) as CheckId[];

/** The ids of the steps that run this kind of action, in every scenario (e.g. where a run's report paths are). */
export function stepIdsOfKind(kind: StepAction['kind']): string[] {
  return ALL_STEPS.filter((s) => s.run.kind === kind).map((s) => s.id);
}
