import type { KubernetesObject } from '@kubernetes/client-node';
import type { Cache } from './api.ts';

/** A reconcile step: do one transition, and say when to look again (ms), if at all. */
export type Reconcile = (namespace: string | undefined, name: string) => Promise<number | void>;

/**
 * Keys reconciled at the same time. Each reconcile mostly waits on the API server, so one at a
 * time made a rollout of many tenants queue behind single round trips (virt-controller and
 * kube-controller-manager run several workers per controller too).
 */
const WORKERS = 8;

/**
 * A minimal controller in the Kubernetes style: watch events enqueue keys, up to `WORKERS` keys
 * are reconciled at a time but never one key twice at once (client-go's workqueue), and a
 * reconcile may ask to be called again later (a timed transition, or a retry after an API
 * error). State lives in the objects, never here.
 */
export class Controller {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly queue: string[] = [];
  /** Keys waiting for a reconcile (in `queue`, or behind their own running one). */
  private readonly queued = new Set<string>();
  private readonly running = new Set<string>();
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
      // A key being reconciled goes back in line when that reconcile ends.
      if (!this.running.has(key)) this.queue.push(key);
    }
    this.pump();
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers.values()) clearTimeout(t);
  }

  private pump(): void {
    while (this.running.size < WORKERS && this.queue.length > 0 && !this.stopped) {
      const key = this.queue.shift()!;
      this.queued.delete(key);
      this.running.add(key);
      void this.reconcileOnce(key).finally(() => {
        this.running.delete(key);
        if (this.queued.has(key)) this.queue.push(key);
        this.pump();
      });
    }
  }

  private async reconcileOnce(key: string): Promise<void> {
    const [namespace, name] = splitKey(key);
    try {
      const again = await this.reconcile(namespace, name);
      if (typeof again === 'number') this.enqueue(key, Math.max(again, 1));
    } catch (err) {
      // A conflict means our cache was behind: the watch brings the fresh object and a retry.
      if ((err as { code?: number }).code === 409) return this.enqueue(key, 100);
      this.log(`${this.name}: ${key}: ${(err as { body?: { message?: string } }).body?.message ?? (err as Error).message}; retrying`);
      this.enqueue(key, 500);
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
