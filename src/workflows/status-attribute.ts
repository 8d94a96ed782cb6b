import { upsertSearchAttributes } from '@temporalio/workflow';
import { STATUS_ATTRIBUTE, type RunPhase } from '../model/status-attribute.ts';

/**
 * Keeps the run's UdnDemoStatus search attribute in step with its phase, one upsert per change.
 * Off unless the run's input says the server has the attribute (an upsert of an unregistered one
 * fails the workflow task); runs started without the field never upsert, so their histories replay.
 */
export class StatusAttribute {
  private last: RunPhase | undefined;

  constructor(private readonly enabled: boolean) {}

  set(phase: RunPhase): void {
    if (!this.enabled || phase === this.last) return;
    this.last = phase;
    upsertSearchAttributes([{ key: STATUS_ATTRIBUTE, value: phase }]);
  }
}
