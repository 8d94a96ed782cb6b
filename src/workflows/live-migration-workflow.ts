import { ActivityFailure, ApplicationFailure, workflowInfo } from '@temporalio/workflow';
import type { MigrationRecord, TrafficReport } from '../model/activities.ts';
import type { GuestConfig } from '../config/schema.ts';
import type { ClusterRef } from '../model/cluster.ts';
import type { WorkloadRef } from '../model/workload.ts';
import { stepIdsOfKind } from '../scenarios/index.ts';
import { activitiesFor } from './activity-options.ts';
import { migrationName } from './migration-name.ts';
import type { DemoInput } from './demo-input.ts';

export interface LiveMigrationInput extends Pick<DemoInput, 'timeouts' | 'retry'> {
  cluster: ClusterRef;
  server: WorkloadRef;
  client: WorkloadRef;
  serverAddress: string;
  port: number;
  intervalMs: number;
  tailSeconds: number;
  /** The console login by reference; absent in runs recorded before the traffic landed. */
  guest: GuestConfig;
  /** The scenario step whose options (timeouts, retries) its activities take. */
  step?: string;
}

export interface LiveMigrationResult {
  migration: MigrationRecord;
  /** Null when the traffic side of the experiment has not landed yet (see `trafficSkipped`). */
  traffic: TrafficReport | null;
  trafficSkipped?: string;
  /** The largest attempt any of the experiment's activities needed. */
  attempts: number;
  /** When the traffic capture began (absent in runs before it was recorded). */
  captureStartedAt?: string;
}

/**
 * The talk's headline experiment: an iperf3 session from the client VM to the server VM while the
 * server VM live-migrates. Names of guest-side state and of the migration derive from this
 * workflow's id, so every retried activity finds what an earlier attempt started.
 */
export async function LiveMigrationWorkflow(input: LiveMigrationInput): Promise<LiveMigrationResult> {
  const { workflowId } = workflowInfo();
  const experimentId = workflowId.replace(/[^a-zA-Z0-9-]/g, '-').toLowerCase();
  let attempts = 1;
  const unwrap = async <T>(call: Promise<{ attempt: number; value: T }>): Promise<T> => {
    const { attempt, value } = await call;
    attempts = Math.max(attempts, attempt);
    return value;
  };
  // Options of the step that started it; runs recorded before inputs named it took the table's.
  const step = input.step ?? stepIdsOfKind('migrate-under-traffic')[0]!;
  const acts = (summary: string) => activitiesFor(input, step, summary);
  let trafficSkipped: string | undefined;
  const handle = await unwrap(
    acts(`start iperf3 ${input.client.name} → ${input.server.name}:${input.port} and ping`).startTraffic({
      cluster: input.cluster,
      experimentId,
      server: input.server,
      client: input.client,
      serverAddress: input.serverAddress,
      port: input.port,
      intervalMs: input.intervalMs,
      guest: input.guest,
    }),
  ).catch((err: unknown) => {
    // Until the traffic side lands, the migration still runs for real, unmeasured, and says so.
    trafficSkipped = notImplemented(err);
    if (trafficSkipped === undefined) throw err;
    return null;
  });
  const migration = await unwrap(
    acts(`migrate ${input.server.namespace}/${input.server.name}`).migrateVmi({
      cluster: input.cluster,
      vmi: input.server,
      migrationName: migrationName(experimentId),
      timeoutSeconds: 600,
    }),
  );
  const traffic = handle
    ? await unwrap(acts(`collect traffic after a ${input.tailSeconds}s tail`).collectTraffic({ cluster: input.cluster, handle, migration, tailSeconds: input.tailSeconds, guest: input.guest }))
    : null;
  return { migration, traffic, attempts, ...(trafficSkipped ? { trafficSkipped } : {}), ...(handle ? { captureStartedAt: handle.startedAt } : {}) };
}

function notImplemented(err: unknown): string | undefined {
  const cause = err instanceof ActivityFailure ? err.cause : undefined;
  return cause instanceof ApplicationFailure && cause.type === 'NotImplemented' ? cause.message : undefined;
}
