import type { KubernetesObject } from '@kubernetes/client-node';
import type { Config } from '../../config/schema.ts';
import type { Probe } from '../../model/probe.ts';
import { scenarioOf, type ScenarioId } from '../../scenarios/compose.ts';
import { expectedProbes } from '../../scenarios/expected-probes.ts';
import type { StepAction } from '../../scenarios/types.ts';
import { stepTimeoutSeconds } from '../../workflows/activity-options.ts';
import { applyStep } from './apply-step.ts';

/** What a run of these scenarios with this config would do, step by step, computed without a server or a cluster. */
export interface Plan {
  scenarios: ScenarioId[];
  title: string;
  /** The config file the plan follows; null for the built-in defaults. */
  config: string | null;
  steps: PlanStep[];
}

export interface PlanStep {
  id: string;
  title: string;
  shows: string;
  /** The step's limit with the config's `timeouts` applied. */
  timeoutSeconds: number;
  needs: string[];
  skippable: boolean;
  action: StepAction;
  /** For an apply step: the objects it applies, as the config renders them. */
  manifests?: KubernetesObject[];
  checks: PlanCheck[];
  byHand: string[];
}

export interface PlanCheck {
  id: string;
  description: string;
  /** With the verdict the network model expects at this step, and why. */
  probes: Probe[];
}

/** Reads the repository's manifests and nothing else: no server, no cluster, no file written. */
export async function buildPlan(config: Config, ids: ScenarioId[], configFile?: string): Promise<Plan> {
  const scenario = scenarioOf(ids, config.scenario);
  const steps = await Promise.all(
    scenario.steps.map(
      async (step): Promise<PlanStep> => ({
        id: step.id,
        title: step.title,
        shows: step.shows,
        timeoutSeconds: stepTimeoutSeconds(config, step.id),
        needs: [...step.needs],
        skippable: step.skippable === true,
        action: step.run,
        checks: (step.checks ?? []).map((c) => ({ id: c.id, description: c.description, probes: expectedProbes(scenario, step, c) })),
        ...(step.run.kind === 'apply' ? await applyStep(step, step.run.bundle, config.scenario, configFile) : { byHand: [...step.byHand] }),
      }),
    ),
  );
  return { scenarios: ids, title: scenario.title, config: configFile ?? null, steps };
}
