/**
 * Errors a person can act on. Each carries the exit code of the contract in docs/ARCHITECTURE.md
 * (2 usage/config/input, 3 infrastructure) so the CLI prints one line and exits, never a stack.
 */
export const ExitCode = {
  passed: 0,
  checkFailed: 1,
  usage: 2,
  infrastructure: 3,
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export class UserFacingError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad flags, config, or input files. */
export class InputError extends UserFacingError {
  constructor(message: string) {
    super(message, ExitCode.usage);
  }
}

/** Something outside our code is missing or unreachable: a server, a tool, a binary. */
export class InfrastructureError extends UserFacingError {
  constructor(message: string) {
    super(message, ExitCode.infrastructure);
  }
}

/** The user pressed Ctrl-C; exit 130 as shells expect. */
export class InterruptedError extends UserFacingError {
  constructor(message: string) {
    super(message, ExitCode.interrupted);
  }
}

/** Tools the cluster provider needs are missing: a person must act, a retry cannot help. */
export class PreflightError extends InfrastructureError {}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function firstLine(s: string): string {
  return s.split('\n')[0] ?? s;
}
