import type { Client, WorkflowHandle } from '@temporalio/client';
import type { DemoResult, StepState } from '../../model/result.ts';
import { closedResult, openProgress } from '../demo-result/outcome.ts';
import { NO_WORKER_HINT, pollUntilSettled } from '../drive/poll-until-settled.ts';
import { awaitingLines, stepLine } from '../demo-result/render.ts';
import { formatDuration } from '../duration.ts';

export interface FollowOptions {
  print: (line: string) => void;
  pollMs?: number;
  /** How often a step that is still running says so. */
  stillRunningEveryMs?: number;
  /** Sees every progress read (presenter mode answers the run's wait from it). */
  onProgress?: (progress: DemoResult) => void;
}

/**
 * Prints each step as it starts and ends, retries as they happen (from the server's view of
 * pending activities), and a reminder on long waits; resolves with the run's result.
 */
export async function follow(client: Client, handle: WorkflowHandle, opts: FollowOptions): Promise<DemoResult> {
  const pollMs = opts.pollMs ?? 500;
  const stillEvery = opts.stillRunningEveryMs ?? 30_000;
  const states = new Map<string, StepState>();
  const retriesSeen = new Set<string>();
  let lastStill = Date.now();

  let asked = '';
  const show = (p: DemoResult) => {
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
    if (progress) show(progress);
    await showPending(handle, retriesSeen, opts.print);
    const running = progress?.steps.find((s) => s.state === 'running');
    if (running?.startedAt && Date.now() - lastStill >= stillEvery) {
      opts.print(`  … ${running.id} still running after ${formatDuration(Date.now() - Date.parse(running.startedAt))}`);
      lastStill = Date.now();
    }
    if (!progress && tick === 10) opts.print(NO_WORKER_HINT);
  });
  show(result);
  return result;
}

/** Retries as they happen, and what long activities report in their heartbeats (`withProgress`). */
async function showPending(handle: WorkflowHandle, seen: Set<string>, print: (line: string) => void): Promise<void> {
  let pending;
  try {
    pending = (await handle.describe()).raw.pendingActivities ?? [];
  } catch {
    return;
  }
  for (const a of pending) {
    const name = a.activityType?.name ?? 'activity';
    const attempt = a.attempt ?? 1;
    const key = `${a.activityId}:${attempt}`;
    if (attempt > 1 && !seen.has(key)) {
      seen.add(key);
      print(`  ↻ ${name} attempt ${attempt}${a.lastFailure?.message ? ` after: ${a.lastFailure.message}` : ''}`);
    }
    const progress = heartbeatProgress(a.heartbeatDetails?.payloads?.[0]?.data);
    const progressKey = `${a.activityId}:${progress}`;
    if (progress && !seen.has(progressKey)) {
      seen.add(progressKey);
      print(`  … ${name}: ${progress}`);
    }
  }
}

function heartbeatProgress(data: Uint8Array | null | undefined): string | undefined {
  if (!data) return undefined;
  try {
    const value = JSON.parse(Buffer.from(data).toString('utf8')) as { progress?: unknown };
    return typeof value.progress === 'string' ? value.progress : undefined;
  } catch {
    return undefined;
  }
}
