import { setTimeout as sleep } from 'node:timers/promises';
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { InfrastructureError } from '../errors.ts';
import { apiStatusCode, describeApiError } from './api-errors.ts';

/**
 * Deletes namespaces (and with them everything in them); what is already gone is skipped.
 * Returns the ones this call deleted. With `waitMs`, waits until the namespace controller has
 * finished, so "removed" means gone, not merely Terminating.
 */
export async function deleteNamespaces(kc: KubeConfig, names: readonly string[], opts: { waitMs?: number; progress?: (line: string) => void } = {}): Promise<string[]> {
  const core = kc.makeApiClient(CoreV1Api);
  const deleted: string[] = [];
  for (const name of names) {
    try {
      await core.deleteNamespace({ name });
      deleted.push(name);
    } catch (err) {
      if (apiStatusCode(err) !== 404) throw new InfrastructureError(`deleting namespace ${name}: ${describeApiError(err)}`);
    }
  }
  if (!opts.waitMs) return deleted;
  const deadline = Date.now() + opts.waitMs;
  for (;;) {
    const left: string[] = [];
    for (const name of deleted) {
      const gone = await core.readNamespace({ name }).then(
        () => false,
        (err: unknown) => apiStatusCode(err) === 404,
      );
      if (!gone) left.push(name);
    }
    if (left.length === 0) return deleted;
    if (Date.now() > deadline) throw new InfrastructureError(`namespaces still terminating after ${Math.round(opts.waitMs / 1000)} s: ${left.join(', ')}`);
    opts.progress?.(`waiting for namespaces to go: ${left.join(', ')}`);
    await sleep(500);
  }
}
