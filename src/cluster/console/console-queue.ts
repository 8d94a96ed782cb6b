import type { KubeConfig } from '@kubernetes/client-node';
import { workloadKey, type WorkloadRef } from '../../model/workload.ts';
import { ConsoleDropped } from './errors.ts';
import type { GuestShell } from './guest-shell.ts';
import { withConsole, type ConsoleOptions } from './sessions.ts';

interface Job {
  work: (shell: GuestShell) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

/**
 * Work for a VM that comes due while that VM's console session is open runs in the same session:
 * one connect and login per burst of work instead of one per command. A VM probing many targets
 * at once (isolation across N tenants: N − 1 probes, each tried several times) otherwise logs in
 * for every try. Jobs run one at a time in order of arrival; a job that fails fails alone; a job
 * whose console drops runs again first on the reconnected session, so only give it work that is
 * safe to repeat (probes are).
 */
export class ConsoleQueue {
  private readonly queues = new Map<string, Job[]>();
  /** Console sessions opened (logins): what the queue keeps low. */
  sessions = 0;

  constructor(
    private readonly kc: KubeConfig,
    private readonly opts: ConsoleOptions,
  ) {}

  run<T>(vmi: WorkloadRef, work: (shell: GuestShell) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const key = workloadKey(vmi);
      const job: Job = { work, resolve: resolve as (v: unknown) => void, reject };
      const open = this.queues.get(key);
      if (open) {
        open.push(job);
        return;
      }
      const queue = [job];
      this.queues.set(key, queue);
      void this.drain(vmi, key, queue);
    });
  }

  private async drain(vmi: WorkloadRef, key: string, queue: Job[]): Promise<void> {
    try {
      await withConsole(this.kc, vmi, this.opts, async (shell) => {
        this.sessions++;
        for (;;) {
          const job = queue[0]!;
          try {
            job.resolve(await job.work(shell));
          } catch (err) {
            if (err instanceof ConsoleDropped) throw err;
            job.reject(err);
          }
          queue.shift();
          // No await between the check and the delete: a job arriving later starts a session of its own.
          if (queue.length === 0) {
            this.queues.delete(key);
            return;
          }
        }
      });
    } catch (err) {
      if (this.queues.get(key) === queue) this.queues.delete(key);
      for (const job of queue.splice(0)) job.reject(err);
    }
  }
}
