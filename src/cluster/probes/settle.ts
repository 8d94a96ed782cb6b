import type { Probe, ProbeObservation } from '../../model/probe.ts';
import { satisfiesAllow, type ProbeTry } from './commands.ts';

export interface SettleTiming {
  /** How long an expectation may take to come true (routes, policies being programmed). */
  eventuallyMs: number;
  /** How long a deny must then keep holding. */
  consistentlyMs: number;
  /** Pause between tries. */
  intervalMs: number;
}

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/**
 * Runs tries of one probe until its expectation is settled:
 *  - allow: eventually reached (an HTTP answer for http) within `eventuallyMs`;
 *  - deny: eventually not reached, then consistently not reached for `consistentlyMs` — a policy
 *    that takes a moment to program is not a false fail, one that leaks is not a false pass.
 * Inconclusive tries (no output, DNS, a dropped console) are tried again; a conclusive wrong
 * answer is recorded, never retried into a right one once the window has closed. A try that
 * fails because `signal` aborted is no inconclusive try: settling ends with the signal's reason.
 */
export async function settle(probe: Probe, attempt: () => Promise<ProbeTry>, t: SettleTiming, clock: Clock, signal?: AbortSignal): Promise<ProbeObservation> {
  const started = clock.now();
  const tries: ProbeTry[] = [];
  let blockedSince: number | undefined;
  let last: ProbeTry | undefined;
  let lastConclusive: ProbeTry | undefined;
  for (;;) {
    const now = clock.now();
    last = await attempt().catch((err: unknown) => {
      signal?.throwIfAborted();
      return { reached: undefined, detail: `inconclusive: ${err instanceof Error ? err.message : String(err)}`, evidence: '' };
    });
    tries.push(last);
    if (last.reached !== undefined) lastConclusive = last;
    const elapsed = clock.now() - started;
    if (probe.expect === 'allow') {
      if (satisfiesAllow(probe, last)) return observe('pass', last);
    } else if (last.reached === false) {
      blockedSince ??= now;
      if (clock.now() - blockedSince >= t.consistentlyMs) return observe('pass', last, blockedSince - started);
    } else if (last.reached === true && blockedSince !== undefined) {
      // It was blocked and then got through: the policy does not hold.
      return observe('fail', last, blockedSince - started);
    }
    if (elapsed >= t.eventuallyMs + (blockedSince !== undefined ? t.consistentlyMs : 0)) {
      // A block seen once but not confirmed (only inconclusive tries since) proves nothing either way.
      const unconfirmed = probe.expect === 'deny' && blockedSince !== undefined;
      return lastConclusive && !unconfirmed ? observe('fail', lastConclusive) : observe('inconclusive', last);
    }
    await clock.sleep(t.intervalMs);
  }

  function observe(verdict: ProbeObservation['verdict'], deciding: ProbeTry, settledAfterMs?: number): ProbeObservation {
    const summary = tries.map((x, i) => `try ${i + 1}: ${x.reached === undefined ? 'inconclusive' : x.reached ? 'reached' : 'not reached'} (${x.detail})`);
    return {
      probe,
      reached: deciding.reached === true,
      detail: deciding.detail,
      verdict,
      startedAt: new Date(started).toISOString(),
      durationMs: clock.now() - started,
      attempts: tries.length,
      ...(settledAfterMs !== undefined ? { settledAfterMs } : {}),
      evidence: [deciding.evidence, ...(tries.length > 1 ? ['', ...summary] : [])].join('\n').trim(),
    };
  }
}
