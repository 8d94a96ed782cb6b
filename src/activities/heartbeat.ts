import { setMaxListeners } from 'node:events';
import { Context } from '@temporalio/activity';
import type { ActivityHeartbeat, ConsoleTail } from '../model/heartbeat.ts';
import { publishConsoleTail } from './console-feed.ts';

/**
 * How often every activity tells the server it is alive. The heartbeat timeout (activity options)
 * is a few of these: a dead worker is noticed in seconds, whatever its activity was doing.
 */
export const HEARTBEAT_EVERY_MS = 2_000;

/** The latest details of each running activity (progress line, console tail), re-sent by its keep-alive beat. */
const lastDetails = new WeakMap<Context, ActivityHeartbeat>();

/**
 * Beats for the activity of `ctx` until `stop()`: registered around every body by instrument(),
 * so no activity can outlive its worker unnoticed. Re-sends the activity's last details, so
 * the Web UI's heartbeat details keep saying what it waits for.
 */
export function keepAlive(ctx: Context): () => void {
  const beat = () => ctx.heartbeat(lastDetails.get(ctx));
  beat();
  const timer = setInterval(beat, HEARTBEAT_EVERY_MS);
  return () => clearInterval(timer);
}

/** What a long body reports: a progress line for the log and the Web UI, and what its guest consoles show. */
export interface Progress {
  (line: string): void;
  /** The tail of the console transcript (bounded by its Transcript): sent with the next heartbeats, and to a follower in this process. */
  console(tail: Omit<ConsoleTail, 'attempt'>): void;
}

/**
 * Runs a long body, heartbeating each progress line it reports (the Web UI shows the latest).
 * The body gets the activity's cancellation signal, for everything it starts to honour: it aborts
 * when the server delivers a cancel (on a heartbeat) or the worker shuts down, with the SDK's
 * CancelledFailure as its reason, which the body rejects with so the activity ends as cancelled.
 */
export async function withProgress<T>(body: (progress: Progress, signal: AbortSignal) => Promise<T>): Promise<T> {
  const ctx = Context.current();
  const signal = ctx.cancellationSignal;
  // One listener per console, watch or command the body runs at once (a probe per target): not a leak.
  setMaxListeners(0, signal);
  const remember = (change: ActivityHeartbeat) => {
    const details = { ...lastDetails.get(ctx), ...change };
    lastDetails.set(ctx, details);
    return details;
  };
  const progress = (line: string) => {
    ctx.log.info(line);
    ctx.heartbeat(remember({ progress: line }));
  };
  progress.console = (tail: Omit<ConsoleTail, 'attempt'>) => {
    const console = { attempt: ctx.info.attempt, ...tail };
    // The keep-alive beat carries it within HEARTBEAT_EVERY_MS, as soon as the server would take it
    // (maxHeartbeatThrottleInterval): a beat per line would only encode thousands of tails for nothing.
    remember({ console });
    publishConsoleTail({ workflowId: ctx.info.workflowExecution?.workflowId ?? '', activityId: ctx.info.activityId, tail: console });
  };
  return body(progress, signal);
}
