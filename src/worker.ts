import { fileURLToPath } from 'node:url';
import { DefaultLogger, Runtime, Worker, type NativeConnection, type WorkflowBundle } from '@temporalio/worker';
import { createActivities } from './activities/index.ts';
import { instrument } from './activities/instrument.ts';
import type { DemoActivities } from './activities/types.ts';
import type { TemporalConfig } from './config/schema.ts';

export const workflowsPath = fileURLToPath(new URL('./workflows/index.ts', import.meta.url));

let runtimeInstalled = false;

/** Keeps the SDK's own log to warnings, so a person following a run sees our progress, not core's chatter. */
export function installQuietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  Runtime.install({ logger: new DefaultLogger('WARN') });
}

export interface WorkerOptions {
  connection: NativeConnection;
  temporal: TemporalConfig;
  /** Tests pass fakes here; production uses the real bodies. Either way they are instrumented. */
  activities?: DemoActivities;
  identity?: string;
  /** A prebuilt bundle (tests build one and reuse it); otherwise the workflows are bundled here. */
  workflowBundle?: WorkflowBundle;
}

export async function createWorker(opts: WorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: opts.connection,
    namespace: opts.temporal.namespace,
    taskQueue: opts.temporal.taskQueue,
    ...(opts.workflowBundle ? { workflowBundle: opts.workflowBundle } : { workflowsPath }),
    activities: instrument(opts.activities ?? createActivities()),
    ...(opts.identity ? { identity: opts.identity } : {}),
    // The worker stops on SIGINT/SIGTERM itself and lets running activities finish or heartbeat-fail.
    shutdownGraceTime: '10s',
  });
}
