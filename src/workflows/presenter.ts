import { condition, defineUpdate, setHandler } from '@temporalio/workflow';
import type { DemoResult, StepId } from '../model/result.ts';

export interface ContinueRequest {
  /** The step the presenter means; refused if the run waits before another one. */
  step?: StepId;
}

/** `udn-demo next`, Enter under `run --presenter`, or the Web UI's update: run the step the run waits before. Clients import this. */
export const continueUpdate = defineUpdate<{ step: StepId }, [ContinueRequest]>('continue');

/**
 * Presenter mode: before each step the run waits for the presenter, so a talk goes at the
 * speaker's pace. The wait makes no command in the history (a condition on state the update
 * sets), so it changes nothing for runs without it.
 */
export class PresenterGate {
  constructor(
    private readonly result: DemoResult,
    private readonly publish: () => void,
  ) {
    result.presenter = null;
    setHandler(continueUpdate, () => this.release(), { validator: (req) => this.validate(req) });
  }

  async before(step: StepId): Promise<void> {
    this.result.presenter = { waitingBefore: step };
    this.publish();
    await condition(() => this.result.presenter === null);
  }

  // `temporal workflow update` without --input sends no argument at all.
  private validate(req: ContinueRequest | undefined): void {
    const waiting = this.result.presenter?.waitingBefore;
    if (!waiting) throw new Error('the run is not waiting for the presenter: a step is running');
    if (req?.step !== undefined && req.step !== waiting) throw new Error(`the run waits before step ${waiting}, not ${req.step}`);
  }

  private release(): { step: StepId } {
    const step = this.result.presenter!.waitingBefore;
    this.result.presenter = null;
    this.publish();
    return { step };
  }
}
