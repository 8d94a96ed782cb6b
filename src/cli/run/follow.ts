import type { Client, WorkflowHandle } from '@temporalio/client';
import type { ConsoleTail } from '../../model/heartbeat.ts';
import type { DemoResult, StepState } from '../../model/result.ts';
import { closedResult, openProgress } from '../demo-result/outcome.ts';
import { NO_WORKER_HINT, pollUntilSettled } from '../drive/poll-until-settled.ts';
import { awaitingLines, stepLine } from '../demo-result/render.ts';
import { formatDuration } from '../duration.ts';
import { pendingActivities, type PendingActivity } from './pending.ts';

export interface FollowOptions {
  print: (line: string) => void;
  pollMs?: number;
  /** How often a step that is still running says so. */
  stillRunningEveryMs?: number;
  /** Sees every progress read (presenter mode answers the run's wait from it). */
  onProgress?: (progress: DemoResult) => void;
  /**
   * On a terminal: draws the steps in place from each read, with what the running activities
   * said last; the line per step change, the reminders and the heartbeat lines are then not printed.
   */
  live?: (progress: DemoResult, activities: readonly PendingActivity[]) => void;
  /** Gets the guest console transcript that each pending activity heartbeats, on every read. */
  console?: (activityId: string, tail: ConsoleTail) => void;
}

/**
 * Prints each step as it starts and ends (or has `live` draw them), retries as they happen (from
 * the server's view of pending activities), and a reminder on long waits; resolves with the run's
 * result.
 */
export async function follow(client: Client, handle: WorkflowHandle, opts: FollowOptions): Promise<DemoResult> {
  const pollMs = opts.pollMs ?? 500;
  const stillEvery = opts.stillRunningEveryMs ?? 30_000;
  const states = new Map<string, StepState>();
  const seen = new Set<string>();
  let activities: readonly PendingActivity[] = [];
  let lastStill = Date.now();

  let asked = '';
  const show = (p: DemoResult) => {
    if (opts.live) opts.live(p, activities);
    else
      p.steps.forEach((step, i) => {
        if (states.get(step.id) === step.state || (step.state === 'pending' && !states.has(step.id))) return;
        states.set(step.id, step.state);
        opts.print(stepLine(step, i, p.steps.length));
        lastStill = Date.now();
      });
    const ask = p.awaiting ? `${p.awaiting.step}@${p.awaiting.since}` : '';
    if (ask && ask !== asked) for (const line of awaitingLines(p)) opts.print(`  ${line}`);
    asked = ask;
    opts.onProgress?.(p);
  };

  const result = await pollUntilSettled(closedResult(handle, { say: opts.print }), pollMs, async (tick) => {
    const progress = await openProgress(client, handle);
    const pending = await pendingActivities(handle);
    activities = pending ?? activities;
    if (progress) show(progress);
    if (pending) {
      showPending(pending, seen, opts.print, !opts.live);
      for (const a of pending) if (a.heartbeat.console) opts.console?.(a.id, a.heartbeat.console);
    }
    const running = progress?.steps.find((s) => s.state === 'running');
    if (!opts.live && running?.startedAt && Date.now() - lastStill >= stillEvery) {
      opts.print(`  … ${running.id} still running after ${formatDuration(Date.now() - Date.parse(running.startedAt))}`);
      lastStill = Date.now();
    }
    if (!progress && tick === 10) opts.print(NO_WORKER_HINT);
  });
  // The run has ended: no activity of it runs any more.
  activities = [];
  show(result);
  return result;
}

/** Retries as they happen, and (`progressLines`) what long activities report in their heartbeats (`withProgress`). */
function showPending(pending: readonly PendingActivity[], seen: Set<string>, print: (line: string) => void, progressLines: boolean): void {
  for (const a of pending) {
    const key = `${a.id}:${a.attempt}`;
    if (a.attempt > 1 && !seen.has(key)) {
      seen.add(key);
      print(`  ↻ ${a.name} attempt ${a.attempt}${a.lastFailure ? ` after: ${a.lastFailure}` : ''}`);
    }
    const progress = a.heartbeat.progress;
    const progressKey = `${a.id}:${progress}`;
    if (progressLines && progress && !seen.has(progressKey)) {
      seen.add(progressKey);
      print(`  … ${a.name}: ${progress}`);
    }
  }
}
