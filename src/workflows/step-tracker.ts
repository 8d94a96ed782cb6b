import { ActivityFailure, ApplicationFailure, isCancellation, setCurrentDetails, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Attempted } from '../model/activities.ts';
import type { CheckResult, CleanupRecord, DemoResult, StepId, StepRecord } from '../model/result.ts';
import { OperatorDesk } from './operator-desk.ts';
import { progressQuery } from './queries.ts';
import { StatusAttribute } from './status-attribute.ts';

/** Unwraps an instrumented activity call and remembers the attempt that succeeded. */
export type Act = <T>(call: Promise<Attempted<T>>) => Promise<T>;

/**
 * Records each step of a run for the `progress` query, the Web UI's current details and the
 * result. Steps run through `run`, which is the only place step state changes.
 */
export class StepTracker {
  readonly result: DemoResult;

  private desk: OperatorDesk | undefined;

  /** Check ids in the order the steps declare them: results list checks so, whatever order they were decided in. */
  private readonly checkOrder: string[];

  constructor(
    steps: readonly { id: string; title: string; checks?: readonly { id: string }[] }[],
    private readonly status = new StatusAttribute(false),
  ) {
    this.checkOrder = steps.flatMap((s) => (s.checks ?? []).map((c) => c.id));
    const { workflowId, runId } = workflowInfo();
    this.result = {
      workflowId,
      runId,
      status: 'running',
      steps: steps.map((s) => ({ id: s.id, title: s.title, state: 'pending', startedAt: null, endedAt: null, attempts: 0, outcome: '' })),
      checks: [],
      migration: null,
    };
    setHandler(progressQuery, () => this.result);
    this.publish();
  }

  /**
   * Runs one step; `body` returns the one-line outcome. A check whose activity has not landed yet
   * (`NotImplemented`) is recorded as skipped and the run goes on, so the steps that do work are
   * exercised; the run can then not pass. Any other failure goes to the operator desk (when the
   * run has one): retry runs the body again (its round counts from 1), skip records the step as skipped and goes on;
   * otherwise the run ends with the result attached.
   */
  async run(id: StepId, body: (act: Act, round: number) => Promise<string>, opts: { skippable?: boolean } = {}): Promise<void> {
    const step = this.step(id);
    const act: Act = async (call) => {
      const { attempt, value } = await call;
      step.attempts = Math.max(step.attempts, attempt);
      return value;
    };
    // An operator's retry runs the body again as its next round: what it makes anew is named by it.
    for (let round = 1; ; round++) {
      step.state = 'running';
      step.startedAt ??= now();
      this.publish();
      try {
        step.outcome = await body(act, round);
        step.state = 'succeeded';
        step.attempts = Math.max(step.attempts, 1);
        return;
      } catch (err) {
        if (isCancellation(err)) {
          step.state = 'failed';
          step.outcome = 'cancelled';
          throw err;
        }
        const failure = rootFailure(err);
        step.attempts = Math.max(step.attempts, failure.attempt ?? 1);
        step.outcome = failure.message;
        step.state = 'failed';
        if (opts.skippable && failure.type === 'NotImplemented') {
          this.result.failure ??= { step: id, type: failure.type, message: failure.message };
          step.state = 'skipped';
          return;
        }
        const decision = this.desk ? await this.desk.decide(id, failure) : 'fail';
        if (decision === 'retry') continue;
        this.result.failure ??= { step: id, type: failure.type, message: failure.message };
        if (decision === 'skip') {
          step.state = 'skipped';
          step.outcome = `skipped by the operator after: ${failure.message}`;
          return;
        }
        this.result.failure = { step: id, type: failure.type, message: failure.message };
        this.result.status = 'failed';
        this.desk?.memo();
        throw ApplicationFailure.create({ type: 'StepFailed', message: `step ${id} failed: ${failure.message}`, nonRetryable: true, details: [this.result] });
      } finally {
        step.endedAt = now();
        this.publish();
      }
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

  /** From now on, steps that fail for good wait for an operator's decision there. */
  useDesk(timeoutSeconds: number): OperatorDesk {
    this.desk = new OperatorDesk(this.result, timeoutSeconds, () => this.publish());
    return this.desk;
  }

  /** Ends a cancelled run: what the cleanup removed goes into the result, the memo and the Web UI. */
  cancelled(cleanup: CleanupRecord): void {
    const at = this.result.awaiting?.step ?? this.result.steps.find((s) => s.outcome === 'cancelled')?.id;
    delete this.result.awaiting;
    this.result.status = 'cancelled';
    this.result.cleanup = cleanup;
    this.desk?.memo({ ...(at ? { step: at } : {}), removed: cleanup.removed, ...(cleanup.error ? { cleanupError: cleanup.error } : {}) });
    this.publish();
  }

  finish(): DemoResult {
    this.result.status = this.verdict();
    this.result.checks.sort((a, b) => this.checkOrder.indexOf(a.id) - this.checkOrder.indexOf(b.id));
    const passed = this.result.checks.filter((c) => c.passed).length;
    this.desk?.memo({ checks: `${passed}/${this.result.checks.length}` });
    this.publish();
    return this.result;
  }

  private step(id: StepId): StepRecord {
    const step = this.result.steps.find((s) => s.id === id);
    if (!step) throw new Error(`unknown step ${id}`);
    return step;
  }

  /** Says the run's state where people look: the Web UI's current details (the progress query reads `result`). */
  publish(): void {
    const total = this.result.steps.length;
    // A markdown list: the Web UI renders current details as markdown, which joins plain lines into one paragraph.
    const lines = this.result.steps.map((s, i) => `${i + 1}. ${SYMBOL[s.state]} **${s.id}**${s.outcome ? ` — ${s.outcome}` : ''}`);
    const passed = this.result.checks.filter((c) => c.passed).length;
    const waiting = this.result.awaiting;
    const ask = waiting
      ? ['', `**Waiting for an operator** until ${waiting.deadline}: step ${waiting.step} failed: ${waiting.reason}`, `Answer with \`udn-demo retry ${this.result.workflowId}\`, \`udn-demo skip ${this.result.workflowId}\` or \`udn-demo cancel ${this.result.workflowId}\`.`]
      : [];
    const before = this.result.presenter?.waitingBefore;
    const presenter = before ? ['', `**Waiting for the presenter** before step ${before}: \`udn-demo next ${this.result.workflowId}\`, or the update \`continue\`.`] : [];
    const status = this.result.status;
    this.status.set(status === 'waiting' ? 'waiting-operator' : before ? 'waiting-presenter' : status);
    setCurrentDetails([`Run ${this.result.status}; ${total} steps; checks ${passed} of ${this.result.checks.length} passed`, ...ask, ...presenter, '', ...lines].join('\n'));
  }
}

const SYMBOL: Record<StepRecord['state'], string> = { pending: '·', running: '▶', succeeded: '✓', failed: '✗', skipped: '↷' };

function now(): string {
  return new Date().toISOString();
}

/** The innermost application failure: what the activity itself said, not the wrappers around it. */
export function rootFailure(err: unknown): { type: string; message: string; attempt?: number } {
  let cur: unknown = err;
  while (cur instanceof ActivityFailure || (cur instanceof Error && !(cur instanceof ApplicationFailure) && cur.cause)) cur = (cur as Error).cause;
  if (cur instanceof ApplicationFailure) {
    const detail = cur.details?.[0] as { attempt?: unknown } | undefined;
    return { type: cur.type ?? 'Error', message: cur.message, ...(typeof detail?.attempt === 'number' ? { attempt: detail.attempt } : {}) };
  }
  return { type: cur instanceof Error ? cur.name : 'Error', message: cur instanceof Error ? cur.message : String(cur) };
}
