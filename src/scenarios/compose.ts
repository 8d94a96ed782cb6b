import type { ScenarioConfig } from '../config/schema.ts';
import { CLUSTER_WIDE } from './cluster-wide.ts';
import { namespaceIsolation } from './namespace-isolation-config.ts';
import type { Scenario, StepDef } from './types.ts';

/** The talk's scenarios, in the talk's order; `all` runs them so. */
export const SCENARIO_IDS = ['namespace-isolation', 'cluster-wide'] as const;
export type ScenarioId = (typeof SCENARIO_IDS)[number];

/** One scenario's table with a run's config applied. */
function table(id: ScenarioId, cfg: ScenarioConfig): Scenario {
  return id === 'namespace-isolation' ? namespaceIsolation(cfg) : CLUSTER_WIDE;
}

/**
 * The table a run follows: one scenario's, or several joined in the order given. Joined, they
 * share their first steps (one preflight, one cluster) and end with one report after every
 * step any of their reports waited for; what they create keeps its own namespaces.
 */
export function scenarioOf(ids: readonly ScenarioId[], cfg: ScenarioConfig): Scenario {
  const tables = ids.map((id) => table(id, cfg));
  if (tables.length === 1) return tables[0]!;
  const steps = new Map<string, StepDef>();
  const reports: StepDef[] = [];
  for (const t of tables) {
    for (const s of t.steps) {
      if (s.run.kind === 'write-report') reports.push(s);
      else if (!steps.has(s.id)) steps.set(s.id, s);
    }
  }
  const report = reports[0] && { ...reports[0], needs: [...new Set(reports.flatMap((r) => r.needs))] };
  return {
    id: ids.join('+'),
    title: tables.map((t) => t.title).join('; then '),
    networks: tables.flatMap((t) => t.networks),
    workloads: tables.flatMap((t) => t.workloads),
    policies: tables.flatMap((t) => t.policies),
    services: tables.flatMap((t) => t.services),
    outside: [...new Set(tables.flatMap((t) => t.outside))],
    steps: [...steps.values(), ...(report ? [report] : [])],
  };
}

/** What a run of the table leaves in the cluster: the namespaces its steps apply to, and its cluster-wide networks. */
export function scenarioFootprint(s: Scenario): { namespaces: string[]; clusterNetworks: string[] } {
  const namespaces = s.steps.flatMap((step) => (step.run.kind === 'apply' ? step.run.namespaces : []));
  return { namespaces: [...new Set(namespaces)], clusterNetworks: s.networks.filter((n) => n.scope === 'cluster').map((n) => n.name) };
}
