import { loadConfig } from '../../config/load.ts';
import { printJson } from '../io.ts';
import { buildPlan } from '../plan/plan.ts';
import { renderPlan } from '../plan/render.ts';
import { scenariosOf } from '../scenario-option.ts';

export interface PlanOptions {
  scenario: string;
  config?: string;
  json?: boolean;
}

export async function plan(opts: PlanOptions): Promise<void> {
  const scenarios = scenariosOf(opts.scenario);
  const { config } = await loadConfig(opts.config);
  const built = await buildPlan(config, scenarios, opts.config);
  if (opts.json) printJson(built);
  else process.stdout.write(renderPlan(built));
}
