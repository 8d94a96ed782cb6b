import { setMaxListeners } from 'node:events';
import { Context } from '@temporalio/activity';

/**
 * How often every activity tells the server it is alive. The heartbeat timeout (activity options)
 * is a few of these: a dead worker is noticed in seconds, whatever its activity was doing.
 */
export const HEARTBEAT_EVERY_MS = 2_000;

/** The latest progress line of each running activity, re-sent by its keep-alive beat. */
const lastProgress = new WeakMap<Context, string>();

/**
 * Beats for the activity of `ctx` until `stop()`: registered around every body by instrument(),
 * so no activity can outlive its worker unnoticed. Re-sends the activity's last progress line, so
 * the Web UI's heartbeat details keep saying what it waits for.
 */
export function keepAlive(ctx: Context): () => void {
  const beat = () => {
    const progress = lastProgress.get(ctx);
    ctx.heartbeat(progress === undefined ? undefined : { progress });
  };
  beat();
  const timer = setInterval(beat, HEARTBEAT_EVERY_MS);
  return () => clearInterval(timer);
}

/**
 * Runs a long body, heartbeating each progress line it reports (the Web UI shows the latest).
 * The body gets the activity's cancellation signal, for everything it starts to honour: it aborts
 * when the server delivers a cancel (on a heartbeat) or the worker shuts down, with the SDK's
 * CancelledFailure as its reason, which the body rejects with so the activity ends as cancelled.
 */
export async function withProgress<T>(body: (progress: (line: string) => void, signal: AbortSignal) => Promise<T>): Promise<T> {
  const ctx = Context.current();
  const signal = ctx.cancellationSignal;
  // One listener per console, watch or command the body runs at once (a probe per target): not a leak.
  setMaxListeners(0, signal);
  return body((line) => {
    lastProgress.set(ctx, line);
    ctx.log.info(line);
    ctx.heartbeat({ progress: line });
  }, signal);
}
