import { ApplicationFailure, CancelledFailure, Context } from '@temporalio/activity';
import { InfrastructureError, InputError, PreflightError, errorMessage } from '../errors.ts';
import { ClusterBusy } from '../cluster/run-lease.ts';
import { keepAlive } from './heartbeat.ts';
import { checkInjectedFailures } from './injected-failures.ts';
import { checkActivityInput } from './input-gate.ts';
import type { Attempted, Instrumented } from '../model/activities.ts';

type AnyActivity = (...args: never[]) => Promise<unknown>;

/** Activity name → how many of its first attempts fail on purpose (`--fail-activity` of `udn-demo worker`, `run`, `tenants`). */
export type InjectedFailures = Readonly<Record<string, number>>;

/**
 * Wraps activity bodies once, at registration: each input passes the one gate (names, paths,
 * what reaches a shell), each result carries its attempt number, and errors are classified in
 * one place (what a retry can fix, and what it cannot).
 */
export function instrument<A extends { [K in keyof A]: AnyActivity }>(impls: A, inject: InjectedFailures = {}): Instrumented<A> {
  checkInjectedFailures(inject, Object.keys(impls));
  const out: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(impls) as [string, AnyActivity][]) {
    // Temporal registers activities under the function's name; keep it.
    const wrapped = {
      async [name](...args: never[]): Promise<Attempted<unknown>> {
        const { attempt } = Context.current().info;
        // Decided by the attempt number alone, so a restarted worker fails the same attempts.
        const failFirst = inject[name] ?? 0;
        if (attempt <= failFirst) {
          throw ApplicationFailure.retryable(`emulated fault: ${name} fails its first ${failFirst} attempt(s); this is attempt ${attempt}`, 'EmulatedFault', { attempt });
        }
        const stop = keepAlive(Context.current());
        try {
          checkActivityInput(name, args);
          return { attempt, value: await fn(...args) };
        } catch (err) {
          throw classify(err, attempt);
        } finally {
          stop();
        }
      },
    }[name];
    out[name] = wrapped;
  }
  return out as Instrumented<A>;
}

export function classify(err: unknown, attempt: number): Error {
  // A cancellation is reported as one (the server then records the activity cancelled, not failed).
  if (err instanceof ApplicationFailure || err instanceof CancelledFailure) return err;
  const details = [{ attempt }];
  if (err instanceof InputError) return ApplicationFailure.create({ type: 'InvalidInput', message: err.message, nonRetryable: true, details });
  if (err instanceof Error && err.name === 'MigrationFailed') return ApplicationFailure.create({ type: 'MigrationFailed', message: err.message, nonRetryable: true, details });
  if (err instanceof Error && err.name === 'WaitTimeout') return ApplicationFailure.create({ type: 'NotReady', message: err.message, nonRetryable: true, details });
  if (err instanceof ClusterBusy) return ApplicationFailure.create({ type: 'ClusterBusy', message: `${err.message}; one run per cluster: wait for it, or cancel it with \`udn-demo cancel ${err.holder.holder}\``, nonRetryable: true, details });
  if (err instanceof PreflightError) return ApplicationFailure.create({ type: 'PreflightFailed', message: err.message, nonRetryable: true, details });
  if (err instanceof InfrastructureError) return ApplicationFailure.create({ type: 'Infrastructure', message: err.message, details });
  return ApplicationFailure.create({ type: err instanceof Error ? err.name : 'Error', message: errorMessage(err), details, cause: err instanceof Error ? err : undefined });
}
