import { ActivityFailure, ApplicationFailure, setCurrentDetails, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Attempted } from '../activities/types.ts';
import { STEP_CATALOGUE, type StepId } from '../config/steps.ts';
import type { CheckResult, DemoResult, StepRecord } from '../model/result.ts';
import { progressQuery } from './queries.ts';

/** Unwraps an instrumented activity call and remembers the attempt that succeeded. */
export type Act = <T>(call: Promise<Attempted<T>>) => Promise<T>;

/**
 * Records each step of a run for the `progress` query, the Web UI's current details and the
 * result. Steps run through `run`, which is the only place step state changes.
 */
export class StepTracker {
  readonly result: DemoResult;

  constructor() {
    const { workflowId, runId } = workflowInfo();
    this.result = {
      workflowId,
      runId,
      status: 'running',
      steps: STEP_CATALOGUE.map((s) => ({ id: s.id, title: s.title, state: 'pending', startedAt: null, endedAt: null, attempts: 0, outcome: '' })),
      checks: [],
      migration: null,
    };
    setHandler(progressQuery, () => this.result);
    this.publish();
  }

  /**
   * Runs one step; `body` returns the one-line outcome. A failure ends the run with the result
   * attached. A check whose activity has not landed yet (`NotImplemented`) is recorded as
   * skipped and the run goes on, so the steps that do work are exercised; the run can then not
   * pass. Prerequisites (cluster, rollout, waits) are never skipped: later steps need them.
   */
  async run(id: StepId, body: (act: Act) => Promise<string>, opts: { skippable?: boolean } = {}): Promise<void> {
    const step = this.step(id);
    step.state = 'running';
    step.startedAt = now();
    this.publish();
    const act: Act = async (call) => {
      const { attempt, value } = await call;
      step.attempts = Math.max(step.attempts, attempt);
      return value;
    };
    try {
      step.outcome = await body(act);
      step.state = 'succeeded';
      step.attempts = Math.max(step.attempts, 1);
    } catch (err) {
      const failure = rootFailure(err);
      step.attempts = Math.max(step.attempts, failure.attempt ?? 1);
      step.outcome = failure.message;
      this.result.failure ??= { step: id, type: failure.type, message: failure.message };
      if (opts.skippable && failure.type === 'NotImplemented') {
        step.state = 'skipped';
        return;
      }
      step.state = 'failed';
      this.result.failure = { step: id, type: failure.type, message: failure.message };
      this.result.status = 'failed';
      throw ApplicationFailure.create({ type: 'StepFailed', message: `step ${id} failed: ${failure.message}`, nonRetryable: true, details: [this.result] });
    } finally {
      step.endedAt = now();
      this.publish();
    }
  }

  addCheck(check: CheckResult): void {
    this.result.checks.push(check);
    this.publish();
  }

  /** What the run's status will be if nothing else fails: passed only if every check ran and passed. */
  verdict(): 'passed' | 'failed' {
    const skipped = this.result.steps.some((s) => s.state === 'skipped');
    return !skipped && this.result.checks.every((c) => c.passed) ? 'passed' : 'failed';
  }

  finish(): DemoResult {
    this.result.status = this.verdict();
    this.publish();
    return this.result;
  }

  private step(id: StepId): StepRecord {
    const step = this.result.steps.find((s) => s.id === id);
    if (!step) throw new Error(`unknown step ${id}`);
    return step;
  }

  private publish(): void {
    const total = this.result.steps.length;
    const lines = this.result.steps.map((s, i) => `${i + 1}/${total} ${SYMBOL[s.state]} **${s.id}**${s.outcome ? ` — ${s.outcome}` : ''}`);
    const passed = this.result.checks.filter((c) => c.passed).length;
    setCurrentDetails([`Run ${this.result.status}; checks ${passed}/${this.result.checks.length} passed`, '', ...lines].join('\n'));
  }
}

const SYMBOL: Record<StepRecord['state'], string> = { pending: '·', running: '▶', succeeded: '✓', failed: '✗', skipped: '↷' };

function now(): string {
  return new Date().toISOString();
}

/** The innermost application failure: what the activity itself said, not the wrappers around it. */
function rootFailure(err: unknown): { type: string; message: string; attempt?: number } {
  let cur: unknown = err;
  while (cur instanceof ActivityFailure || (cur instanceof Error && !(cur instanceof ApplicationFailure) && cur.cause)) cur = (cur as Error).cause;
  if (cur instanceof ApplicationFailure) {
    const detail = cur.details?.[0] as { attempt?: unknown } | undefined;
    return { type: cur.type ?? 'Error', message: cur.message, ...(typeof detail?.attempt === 'number' ? { attempt: detail.attempt } : {}) };
  }
  return { type: cur instanceof Error ? cur.name : 'Error', message: cur instanceof Error ? cur.message : String(cur) };
}
