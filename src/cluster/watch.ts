import { makeInformer, type KubeConfig, type KubernetesObject, type ObjectCache } from '@kubernetes/client-node';

export interface WatchSource {
  path: string;
  list: () => Promise<any>;
}

/**
 * Keeps a list-then-watch cache of each source (client-node's informer: it re-lists on 410 Gone)
 * and calls `check` on every event until it returns a value (resolve) or throws (reject), or
 * the deadline passes. A watch the server ends, or that fails, is reopened; no polling.
 */
export function watchUntil<R>(kc: KubeConfig, sources: WatchSource[], check: (caches: ObjectCache<KubernetesObject>[]) => R | undefined, timeoutMs: number, onTimeout: () => Error): Promise<R> {
  const informers = sources.map((s) => makeInformer<KubernetesObject>(kc, s.path, s.list));
  let finished = false;
  return new Promise<R>((resolve, reject) => {
    const finish = (err: unknown, value?: R) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      for (const i of informers) void i.stop();
      if (err) reject(err);
      else resolve(value as R);
    };
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
    for (const i of informers) {
      i.on('add', evaluate);
      i.on('update', evaluate);
      i.on('delete', evaluate);
      i.on('error', () => {
        if (!finished) setTimeout(() => void i.start().then(started(i), () => undefined), 500);
      });
      i.start().then(started(i), (err: unknown) => finish(err));
    }
  });
}
