import type { Check, Target } from './check.ts';

export interface Verdict {
  canRun: boolean;
  /** The checks that stop it, one line each. */
  reasons: string[];
}

export function neededBy(check: Check, target: Target): boolean {
  return check.neededFor === target || check.neededFor === 'both';
}

export function blocks(check: Check, target: Target): boolean {
  return (check.state === 'missing' || check.state === 'fail') && neededBy(check, target);
}

/** Whether `run` on that target can start, given the checks. */
export function verdict(checks: readonly Check[], target: Target): Verdict {
  const reasons = checks.filter((c) => blocks(c, target)).map((c) => `${c.name}: ${c.detail}`);
  return { canRun: reasons.length === 0, reasons };
}
