import { condition, setHandler, upsertMemo } from '@temporalio/workflow';
import type { StepId } from '../model/result.ts';
import type { DecisionAction, DemoResult } from '../model/result.ts';
import { MEMO_KEY, decideUpdate, type DecisionRequest, type RunMemo } from './operator-messages.ts';

/** Failures no decision can fix within the run: the run fails at once (another run holding the cluster ends on its own time). */
const FINAL_TYPES: ReadonlySet<string> = new Set(['InvalidInput', 'PreflightFailed', 'ClusterBusy']);

/**
 * Where a step whose retries are spent waits for a person: `retry` runs it again, `skip` records
 * it as skipped and goes on, a cancellation ends the run; at the deadline the run fails.
 */
export class OperatorDesk {
  private answer: DecisionAction | undefined;

  constructor(
    private readonly result: DemoResult,
    private readonly timeoutSeconds: number,
    private readonly publish: () => void,
  ) {
    setHandler(decideUpdate, (req) => this.accept(req), { validator: (req) => this.validate(req) });
    this.memo();
  }

  /** Resolves with what to do about the failed step: retry, skip, or fail (nobody answered). */
  async decide(step: StepId, failure: { type: string; message: string }): Promise<DecisionAction | 'fail'> {
    if (this.timeoutSeconds === 0 || FINAL_TYPES.has(failure.type)) return 'fail';
    // Steps running side by side (`ordering: fast`) may fail together: one question at a time.
    while (this.result.awaiting) await condition(() => this.result.awaiting === undefined);
    const since = new Date();
    this.result.awaiting = { step, reason: failure.message, since: since.toISOString(), deadline: new Date(since.getTime() + this.timeoutSeconds * 1000).toISOString() };
    this.result.status = 'waiting';
    this.memo();
    this.publish();
    this.answer = undefined;
    const answered = await condition(() => this.answer !== undefined, this.timeoutSeconds * 1000);
    const action = answered ? this.answer! : 'deadline';
    (this.result.decisions ??= []).push({ step, action, reason: failure.message, at: new Date().toISOString() });
    delete this.result.awaiting;
    this.result.status = 'running';
    this.memo();
    return action === 'deadline' ? 'fail' : action;
  }

  /** Records the run's status in its memo (a handful of events per run, never per step). */
  memo(extra: Omit<RunMemo, 'status'> = {}): void {
    const step = this.result.awaiting?.step ?? this.result.failure?.step;
    const memo: RunMemo = { status: this.result.status, ...(step ? { step } : {}), ...extra };
    upsertMemo({ [MEMO_KEY]: memo });
  }

  private validate(req: DecisionRequest): void {
    const waiting = this.result.awaiting;
    if (!waiting) throw new Error('the run is not waiting for a decision: no step has failed for good');
    if (req.action !== 'retry' && req.action !== 'skip') throw new Error(`unknown action "${String(req.action)}": retry or skip`);
    if (req.step !== undefined && req.step !== waiting.step) throw new Error(`the run waits on step ${waiting.step}, not ${req.step}`);
    if (this.answer !== undefined) throw new Error(`step ${waiting.step} has been answered already (${this.answer})`);
  }

  private accept(req: DecisionRequest) {
    const step = this.result.awaiting!.step;
    this.answer = req.action;
    return { step, action: req.action };
  }
}
