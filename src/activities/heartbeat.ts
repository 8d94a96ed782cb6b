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

/** Runs a long body, heartbeating each progress line it reports (the Web UI shows the latest). */
export async function withProgress<T>(body: (progress: (line: string) => void) => Promise<T>): Promise<T> {
  const ctx = Context.current();
  return body((line) => {
    lastProgress.set(ctx, line);
    ctx.log.info(line);
    ctx.heartbeat({ progress: line });
  });
}
