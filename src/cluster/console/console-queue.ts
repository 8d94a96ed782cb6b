import type { KubeConfig } from '@kubernetes/client-node';
import { workloadKey, type WorkloadRef } from '../../model/workload.ts';
import { batchFits } from './batch.ts';
import { ConsoleDropped } from './errors.ts';
import type { ExecResult, GuestShell } from './guest-shell.ts';
import { withConsole, type ConsoleOptions } from './sessions.ts';

/** What a job asks of the session: work with the shell, or one command that may share a line. */
type Work = { work: (shell: GuestShell) => Promise<unknown> } | { command: { argv: readonly string[]; timeoutMs: number } };

type Job = Work & {
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
};

/**
 * Work for a VM that comes due while that VM's console session is open runs in the same session:
 * one connect and login per burst of work instead of one per command. A VM probing many targets
 * at once (isolation across N tenants: N − 1 probes, each tried several times) otherwise logs in
 * for every try. Jobs run one at a time in order of arrival; a job that fails fails alone; a job
 * whose console drops runs again first on the reconnected session, so only give it work that is
 * safe to repeat (probes are). Commands (`exec`) waiting together go in as one command line
 * (GuestShell.execBatch): one round trip to the guest for many probes of one VM, each still
 * with its own output, exit status and timeout.
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
    return this.enqueue(vmi, { work });
  }

  /** Runs `argv` in the VM's shell, in one command line with the other commands waiting for it. */
  exec(vmi: WorkloadRef, argv: readonly string[], timeoutMs: number): Promise<ExecResult> {
    return this.enqueue(vmi, { command: { argv, timeoutMs } });
  }

  private enqueue<T>(vmi: WorkloadRef, what: Work): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const key = workloadKey(vmi);
      const job: Job = { ...what, resolve: resolve as (v: unknown) => void, reject };
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
          if ('command' in job) await runCommands(shell, queue);
          else {
            try {
              job.resolve(await job.work(shell));
            } catch (err) {
              if (err instanceof ConsoleDropped) throw err;
              job.reject(err);
            }
            queue.shift();
          }
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

/**
 * The commands at the head of `queue`, as many as fit in one line, leave it as they settle; on a
 * drop the ones not settled stay at its head, to run again on the next session.
 */
async function runCommands(shell: GuestShell, queue: Job[]): Promise<void> {
  const commands: Extract<Job, { command: unknown }>[] = [];
  for (const job of queue) {
    if (!('command' in job)) break;
    commands.push(job);
  }
  const batch = commands.slice(0, batchFits(commands.map((j) => j.command.argv)));
  let settled = 0;
  try {
    await shell.execBatch(
      batch.map((j) => j.command),
      (i, result) => {
        settled = i + 1;
        if (result instanceof Error) batch[i]!.reject(result);
        else batch[i]!.resolve(result);
      },
    );
  } catch (err) {
    if (err instanceof ConsoleDropped) throw err;
    for (const job of batch.slice(settled)) job.reject(err);
    settled = batch.length;
  } finally {
    queue.splice(0, settled);
  }
}
