import { makeInformer, type KubeConfig, type KubernetesObject, type ObjectCache } from '@kubernetes/client-node';

export interface WatchSource {
  path: string;
  list: () => Promise<any>;
}

/**
 * Keeps a list-then-watch cache of each source (client-node's informer: it re-lists on 410 Gone)
 * and calls `check` on every event until it returns a value (resolve) or throws (reject), the
 * deadline passes, or `signal` aborts (reject with its reason). A watch the server ends, or that
 * fails, is reopened; no polling. However it ends, its watches are closed and its timers cleared.
 */
export function watchUntil<R>(kc: KubeConfig, sources: WatchSource[], check: (caches: ObjectCache<KubernetesObject>[]) => R | undefined, timeoutMs: number, onTimeout: () => Error, signal?: AbortSignal): Promise<R> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  const informers = sources.map((s) => makeInformer<KubernetesObject>(kc, s.path, s.list));
  const reopening = new Set<NodeJS.Timeout>();
  let finished = false;
  return new Promise<R>((resolve, reject) => {
    const finish = (err: unknown, value?: R) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      for (const t of reopening) clearTimeout(t);
      signal?.removeEventListener('abort', aborted);
      for (const i of informers) void i.stop();
      if (err) reject(err);
      else resolve(value as R);
    };
    const aborted = () => finish(signal!.reason);
    const evaluate = () => {
      if (finished) return;
      try {
        const value = check(informers);
        if (value !== undefined) finish(undefined, value);
      } catch (err) {
        finish(err);
      }
    };
    // A start that completes after the end must not leave its watch open.
    const started = (i: (typeof informers)[number]) => () => (finished ? void i.stop() : evaluate());
    const timer = setTimeout(() => finish(onTimeout()), timeoutMs);
    signal?.addEventListener('abort', aborted, { once: true });
    for (const i of informers) {
      i.on('add', evaluate);
      i.on('update', evaluate);
      i.on('delete', evaluate);
      i.on('error', () => {
        if (finished) return;
        const t = setTimeout(() => {
          reopening.delete(t);
          void i.start().then(started(i), () => undefined);
        }, 500);
        reopening.add(t);
      });
      i.start().then(started(i), (err: unknown) => finish(err));
    }
  });
}
