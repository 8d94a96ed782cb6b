import type { WorkflowHandle } from '@temporalio/client';
import type { ActivityHeartbeat, ConsoleLine, ConsoleTail } from '../../model/heartbeat.ts';

/** A running activity as the server sees it: its retries, and what its last heartbeat said. */
export interface PendingActivity {
  id: string;
  name: string;
  attempt: number;
  lastFailure?: string;
  heartbeat: ActivityHeartbeat;
}

/** The run's pending activities (describe); undefined when the server does not answer, and the next poll asks again. */
export async function pendingActivities(handle: WorkflowHandle): Promise<PendingActivity[] | undefined> {
  let pending;
  try {
    pending = (await handle.describe()).raw.pendingActivities ?? [];
  } catch {
    return undefined;
  }
  return pending.map((a) => ({
    id: a.activityId ?? '',
    name: a.activityType?.name ?? 'activity',
    attempt: a.attempt ?? 1,
    ...(a.lastFailure?.message ? { lastFailure: a.lastFailure.message } : {}),
    heartbeat: heartbeatDetails(a.heartbeatDetails?.payloads?.[0]?.data),
  }));
}

/** The details `withProgress` heartbeats (JSON); whatever else an activity sent reads as none. */
export function heartbeatDetails(data: Uint8Array | null | undefined): ActivityHeartbeat {
  if (!data) return {};
  let value: { progress?: unknown; console?: unknown };
  try {
    value = JSON.parse(Buffer.from(data).toString('utf8')) ?? {};
  } catch {
    return {};
  }
  const tail = consoleTail(value.console);
  return { ...(typeof value.progress === 'string' ? { progress: value.progress } : {}), ...(tail ? { console: tail } : {}) };
}

function consoleTail(v: unknown): ConsoleTail | undefined {
  const t = v as Partial<ConsoleTail> | undefined;
  if (typeof t?.attempt !== 'number' || typeof t.seq !== 'number' || !Array.isArray(t.lines)) return undefined;
  const lines = t.lines.filter((l: Partial<ConsoleLine>) => typeof l?.vm === 'string' && typeof l.text === 'string');
  return { attempt: t.attempt, seq: t.seq, lines };
}
