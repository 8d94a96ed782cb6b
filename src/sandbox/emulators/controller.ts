import type { KubernetesObject } from '@kubernetes/client-node';
import type { Cache } from './api.ts';

/** A reconcile step: do one transition, and say when to look again (ms), if at all. */
export type Reconcile = (namespace: string | undefined, name: string) => Promise<number | void>;

/**
 * A minimal controller in the Kubernetes style: watch events enqueue keys, one key is
 * reconciled at a time, and a reconcile may ask to be called again later (a timed transition,
 * or a retry after an API error). State lives in the objects, never here.
 */
export class Controller {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly queue: string[] = [];
  private readonly queued = new Set<string>();
  private running = false;
  private stopped = false;

  constructor(
    readonly name: string,
    private readonly reconcile: Reconcile,
    private readonly log: (line: string) => void,
  ) {}

  /** Enqueue this controller's key for every add or update of a watched kind. */
  watch<T extends KubernetesObject>(cache: Cache<T>, keyOf: (obj: T) => string | undefined = keyFor): this {
    const enqueue = (obj: T) => {
      const key = keyOf(obj);
      if (key) this.enqueue(key);
    };
    cache.on('add', enqueue);
    cache.on('update', enqueue);
    cache.on('delete', enqueue);
    return this;
  }

  enqueue(key: string, delayMs = 0): void {
    if (this.stopped) return;
    if (delayMs > 0) {
      clearTimeout(this.timers.get(key));
      this.timers.set(key, setTimeout(() => this.enqueue(key), delayMs));
      return;
    }
    if (!this.queued.has(key)) {
      this.queued.add(key);
      this.queue.push(key);
    }
    void this.drain();
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers.values()) clearTimeout(t);
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (let key = this.queue.shift(); key !== undefined && !this.stopped; key = this.queue.shift()) {
        this.queued.delete(key);
        const [namespace, name] = splitKey(key);
        try {
          const again = await this.reconcile(namespace, name);
          if (typeof again === 'number') this.enqueue(key, Math.max(again, 1));
        } catch (err) {
          // A conflict means our cache was behind: the watch brings the fresh object and a retry.
          if ((err as { code?: number }).code === 409) {
            this.enqueue(key, 100);
            continue;
          }
          this.log(`${this.name}: ${key}: ${(err as { body?: { message?: string } }).body?.message ?? (err as Error).message}; retrying`);
          this.enqueue(key, 500);
        }
      }
    } finally {
      this.running = false;
    }
  }
}

export function keyFor(obj: KubernetesObject): string {
  return obj.metadata?.namespace ? `${obj.metadata.namespace}/${obj.metadata.name}` : obj.metadata!.name!;
}

function splitKey(key: string): [string | undefined, string] {
  const i = key.indexOf('/');
  return i < 0 ? [undefined, key] : [key.slice(0, i), key.slice(i + 1)];
}
