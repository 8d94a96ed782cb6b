import { ExitCode } from '../errors.ts';
import type { DemoResult } from '../model/result.ts';

/** DESIGN.md's contract: 0 all passed, 1 a check failed, 2 input error, 3 infrastructure. */
export function exitCodeFor(result: DemoResult): ExitCode {
  if (result.status === 'passed') return ExitCode.passed;
  if (result.failure) return result.failure.type === 'InvalidInput' ? ExitCode.usage : ExitCode.infrastructure;
  return ExitCode.checkFailed;
}
