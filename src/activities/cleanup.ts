import { tearDown } from '../cluster/teardown.ts';
import type { CleanupRecord } from '../model/result.ts';
import { providerOf } from './cluster.ts';
import { withProgress } from './heartbeat.ts';
import type { CleanupRequest } from '../model/activities.ts';

const NAMESPACES_GONE_WITHIN_MS = 120_000;

/** Idempotent: what is already gone is skipped, so a retry (or a second cancel) reports only what it removed. */
export function cleanupRun(req: CleanupRequest): Promise<CleanupRecord> {
  return withProgress(async (progress) => ({ removed: await tearDown(providerOf(req), { ...req, waitMs: NAMESPACES_GONE_WITHIN_MS, progress }) }));
}
