import { InputError } from '../errors.ts';
import { SCENARIO_IDS, type ScenarioId } from '../scenarios/compose.ts';

/** What `--scenario` accepts: one of the talk's scenarios, or `all` of them. */
export const SCENARIO_CHOICES = [...SCENARIO_IDS, 'all'] as const;

/** `all` is the whole talk; a bad name is an input error before anything starts. */
export function scenariosOf(name: string): ScenarioId[] {
  if (name === 'all') return [...SCENARIO_IDS];
  const id = SCENARIO_IDS.find((s) => s === name);
  if (!id) throw new InputError(`--scenario must be one of ${SCENARIO_CHOICES.join(', ')}; got "${name}"`);
  return [id];
}
