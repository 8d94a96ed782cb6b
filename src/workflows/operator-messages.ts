import { defineSignal, defineUpdate } from '@temporalio/workflow';
import type { StepId } from '../model/result.ts';
import type { DecisionAction, DemoResult } from '../model/result.ts';

export interface DecisionRequest {
  action: DecisionAction;
  /** The step the operator means; refused if the run waits on another one. */
  step?: StepId;
}

export interface DecisionAck {
  step: StepId;
  action: DecisionAction;
}

/** `udn-demo retry|skip`: answers a failed step that waits for an operator. Clients import this. */
export const decideUpdate = defineUpdate<DecisionAck, [DecisionRequest]>('decide');

/** Sent just before a cancellation request: what the cleanup may remove besides the run's namespaces. */
export const cleanupScopeSignal = defineSignal<[{ removeCluster: boolean }]>('cleanupScope');

/** The memo `udn-demo list` reads: the demo's own status, which Temporal's (COMPLETED, FAILED…) cannot say. */
export interface RunMemo {
  status: DemoResult['status'];
  /** The step a waiting run is stuck at, or where a failed one stopped. */
  step?: string;
  checks?: string;
  removed?: string[];
  cleanupError?: string;
}
export const MEMO_KEY = 'udnDemo';
