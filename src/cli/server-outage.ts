import { setTimeout as sleep } from 'node:timers/promises';
import { InfrastructureError, errorMessage } from '../errors.ts';

const UNAVAILABLE = 14;
const DEADLINE_EXCEEDED = 4;
const GIVE_UP_AFTER_MS = 10 * 60_000;

/** The server did not answer (down, restarting, unreachable): the run itself is unaffected. */
export function serverUnavailable(err: unknown): boolean {
  for (let cur: unknown = err; cur instanceof Error; cur = cur.cause) {
    const code = (cur as { code?: unknown }).code;
    if (code === UNAVAILABLE || code === DEADLINE_EXCEEDED) return true;
  }
  return false;
}

/**
 * `read` again and again while the server is unreachable (a restart): the run goes on
 * regardless, and giving up would also stop a worker that shares this process. `command` is the
 * one that resumes following the run, for the message when we do give up.
 */
export async function untilServerAnswers<T>(workflowId: string, command: string, read: () => Promise<T>, say?: (line: string) => void): Promise<T> {
  let unreachableSince: number | undefined;
  let said = 0;
  for (;;) {
    try {
      return await read();
    } catch (err) {
      if (!serverUnavailable(err)) throw err;
      unreachableSince ??= Date.now();
      const away = Date.now() - unreachableSince;
      if (away > GIVE_UP_AFTER_MS) throw new InfrastructureError(`the Temporal server has not answered for ${Math.round(away / 60_000)} min; the run may still be going: resume with \`udn-demo ${command} --workflow-id ${workflowId}\``);
      if (Date.now() - said >= 30_000) {
        say?.(`  … the Temporal server does not answer (${errorMessage(err)}); still waiting for run ${workflowId}`);
        said = Date.now();
      }
      await sleep(2_000);
    }
  }
}
