import type { KubeConfig } from '@kubernetes/client-node';
import { sleep, unlessAborted } from '../../host/abortable.ts';
import { workloadKey, type WorkloadRef } from '../../model/workload.ts';
import { ConsoleConnection } from './connection.ts';
import { ConsoleBusy, ConsoleDropped } from './errors.ts';
import { GuestShell, type GuestCredentials } from './guest-shell.ts';
import type { Transcript } from './transcript.ts';

export interface ConsoleOptions {
  credentials: GuestCredentials;
  connectTimeoutMs: number;
  loginTimeoutMs: number;
  /** How often a dropped console is reopened and the work run again; only for work that is safe to repeat. */
  reconnects: number;
  /** An abort closes the console at once; the work then fails with the signal's reason. */
  signal?: AbortSignal;
  /** Receives what the console shows a person (see GuestShell.login), for those who watch the work. */
  transcript?: Transcript;
}

/** The serial console is exclusive: this process's users of one VMI take turns. */
const turns = new Map<string, Promise<unknown>>();

/**
 * Opens the VMI's console, logs in, runs `work`, and closes it again so nobody else is locked
 * out longer than needed. A busy console is retried until the connect timeout; a console that
 * drops under `work` is reopened and `work` repeated, up to `reconnects` times. An abort ends the
 * call at once, even while it waits for its turn.
 */
export async function withConsole<T>(kc: KubeConfig, vmi: WorkloadRef, opts: ConsoleOptions, work: (shell: GuestShell) => Promise<T>): Promise<T> {
  const key = workloadKey(vmi);
  const previous = turns.get(key) ?? Promise.resolve();
  // Aborted while waiting, the turn still comes (and ends at once: the signal is aborted), so the
  // users after it keep their order.
  const mine = previous.catch(() => undefined).then(() => attempt(kc, vmi, opts, work));
  turns.set(key, mine);
  void mine.catch(() => undefined).then(() => {
    if (turns.get(key) === mine) turns.delete(key);
  });
  return unlessAborted(mine, opts.signal);
}

async function attempt<T>(kc: KubeConfig, vmi: WorkloadRef, opts: ConsoleOptions, work: (shell: GuestShell) => Promise<T>): Promise<T> {
  for (let drop = 0; ; drop++) {
    const conn = await connect(kc, vmi, opts.connectTimeoutMs, opts.signal);
    try {
      const shell = await GuestShell.login(conn, opts.credentials, { loginMs: opts.loginTimeoutMs }, (text) => opts.transcript?.record(workloadKey(vmi), text));
      return await work(shell);
    } catch (err) {
      if (!(err instanceof ConsoleDropped) || drop >= opts.reconnects) throw err;
    } finally {
      conn.close();
    }
  }
}

async function connect(kc: KubeConfig, vmi: WorkloadRef, timeoutMs: number, signal: AbortSignal | undefined): Promise<ConsoleConnection> {
  const deadline = Date.now() + timeoutMs;
  for (let wait = 250; ; wait = Math.min(wait * 2, 4_000)) {
    try {
      return await ConsoleConnection.open(kc, vmi, Math.max(1_000, deadline - Date.now()), signal);
    } catch (err) {
      if (!(err instanceof ConsoleBusy) || Date.now() + wait > deadline) throw err;
      await sleep(wait, signal);
    }
  }
}
