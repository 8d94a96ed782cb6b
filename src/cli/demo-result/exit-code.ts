import { ExitCode } from '../../errors.ts';
import type { DemoResult } from '../../model/result.ts';

/** The exit-code contract (docs/ARCHITECTURE.md): 0 all passed, 1 a check failed, 2 input error, 3 infrastructure. */
export function exitCodeFor(result: DemoResult): ExitCode {
  if (result.status === 'passed') return ExitCode.passed;
  // Cancelled: the run did not get to prove its claims, which no check refuted either.
  if (result.status === 'cancelled') return ExitCode.infrastructure;
  const failure = result.failure;
  if (failure && failure.type !== 'NotImplemented') return failure.type === 'InvalidInput' ? ExitCode.usage : ExitCode.infrastructure;
  // A claim refuted by evidence says more than a step that has not landed yet.
  if (result.checks.some((c) => !c.passed)) return ExitCode.checkFailed;
  return failure ? ExitCode.infrastructure : ExitCode.checkFailed;
}
