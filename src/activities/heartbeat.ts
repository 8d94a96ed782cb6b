import { Context } from '@temporalio/activity';

/**
 * Runs a long body, heartbeating each progress line it reports (the Web UI shows the latest as
 * the activity's heartbeat details) and re-sending the last one at least every 10 s, so the
 * heartbeat timeout catches a dead worker, not a quiet step.
 */
export async function withProgress<T>(body: (progress: (line: string) => void) => Promise<T>): Promise<T> {
  const ctx = Context.current();
  let last = 'started';
  const beat = () => ctx.heartbeat({ progress: last });
  const timer = setInterval(beat, 10_000);
  try {
    return await body((line) => {
      last = line;
      ctx.log.info(line);
      beat();
    });
  } finally {
    clearInterval(timer);
  }
}
