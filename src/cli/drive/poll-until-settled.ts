import { setTimeout as sleep } from 'node:timers/promises';

/** What a follower says when no worker answers its queries for a while. */
export const NO_WORKER_HINT = '  … no worker has answered yet; start one with `udn-demo worker` if none is running';

/**
 * Calls `tick` every `pollMs` until `done` settles — woken at once when it does, so the last
 * poll does not delay the result — then resolves (or rejects) as `done` does.
 */
export async function pollUntilSettled<R>(done: Promise<R>, pollMs: number, tick: (n: number) => Promise<void>): Promise<R> {
  let settled = false;
  const watched = done.finally(() => (settled = true));
  watched.catch(() => undefined);
  for (let n = 0; !settled; n++) {
    await tick(n);
    await Promise.race([watched.catch(() => undefined), sleep(pollMs)]);
  }
  return watched;
}
