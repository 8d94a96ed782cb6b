import { setTimeout as delay } from 'node:timers/promises';

/**
 * `work`, except that a failure once the signal has aborted is the abort's doing: it rejects with
 * the signal's own reason (an activity's CancelledFailure), not whatever error the interrupted
 * work raised (Node's AbortError wrapper, "interrupted", a closed socket), so a cancelled
 * activity ends as cancelled.
 */
export async function withAbortReason<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  try {
    return await work;
  } catch (err) {
    signal?.throwIfAborted();
    throw err;
  }
}

/** Waits `ms`; an abort ends the wait at once, with the signal's reason. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return withAbortReason(delay(ms, undefined, { signal }), signal);
}

/**
 * What `work` settles to, unless the signal aborts first: then the signal's reason, at once.
 * Only the wait ends; `work` must stop by other means (or be harmless to finish).
 */
export function unlessAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
