import type { StepId } from '../model/result.ts';
import { STEP_IDS } from '../scenarios/index.ts';
import { InputError } from '../errors.ts';

/** `--step`: a step of some scenario, or absent. */
export function stepOption(step: string | undefined): StepId | undefined {
  if (step !== undefined && !(STEP_IDS as readonly string[]).includes(step)) throw new InputError(`--step "${step}" is not a step; steps: ${STEP_IDS.join(', ')}`);
  return step as StepId | undefined;
}
