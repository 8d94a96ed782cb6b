import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DefaultLogger, Runtime, Worker, type NativeConnection, type WorkflowBundle } from '@temporalio/worker';
import type { InjectedFailures } from './activities/instrument.ts';
import { lazyActivities } from './activities/lazy.ts';
import type { DemoActivities } from './model/activities.ts';
import type { TemporalConfig } from './config/schema.ts';
import { workerIdentity } from './host/worker-identity.ts';
import { cachedWorkflowBundle } from './workflow-bundle.ts';

/**
 * The workflow code is bundled from its TypeScript sources whether this module runs from src/ or
 * compiled in dist/ (a sibling of src/, hence `../src/`): one bundle, one cache key (workflow-bundle.ts).
 */
export const workflowsPath = fileURLToPath(new URL('../src/workflows/index.ts', import.meta.url));

let runtimeInstalled = false;

/**
 * The SDK core's own log (e.g. its client retrying while the server restarts) goes through our
 * logger, not to the console: `run --json` must keep stdout to its one document.
 */
const FORWARD_CORE_LOGS = { logging: { filter: { core: 'WARN', other: 'ERROR' }, forward: {} } } as const;

/**
 * Installs the SDK runtime once per process. With a log file, the SDK's own log goes there, so
 * a person following a run in the terminal sees our progress rather than the SDK's chatter;
 * without one, warnings go to stderr.
 */
export function installRuntime(logFile?: string): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  if (!logFile) {
    Runtime.install({ logger: new DefaultLogger('WARN'), telemetryOptions: FORWARD_CORE_LOGS });
    return;
  }
  mkdirSync(dirname(logFile), { recursive: true });
  const sink = createWriteStream(logFile, { flags: 'a' });
  const logger = new DefaultLogger('INFO', ({ level, message, meta, timestampNanos }) => {
    const time = new Date(Number(timestampNanos / 1_000_000n)).toISOString();
    sink.write(`${time} ${level} ${message}${meta ? ` ${safeJson(meta)}` : ''}\n`);
  });
  Runtime.install({ logger, telemetryOptions: FORWARD_CORE_LOGS });
}

function safeJson(meta: unknown): string {
  try {
    return JSON.stringify(meta, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v instanceof Error ? { name: v.name, message: v.message, stack: v.stack } : v));
  } catch {
    return String(meta);
  }
}

export interface WorkerOptions {
  connection: NativeConnection;
  temporal: TemporalConfig;
  /** Tests pass fakes here; production uses the real bodies. Either way they are instrumented. */
  activities?: DemoActivities;
  /** By default one that names this process for good (host/worker-identity.ts), so a later worker can tell it died. */
  identity?: string;
  /** A prebuilt bundle (tests build one and reuse it); otherwise the cached bundle of these sources. */
  workflowBundle?: WorkflowBundle;
  /** Transient failures to inject (`--fail-activity`); instrument() refuses names of no activity. */
  injectFailures?: InjectedFailures;
}

export async function createWorker(opts: WorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: opts.connection,
    namespace: opts.temporal.namespace,
    taskQueue: opts.temporal.taskQueue,
    workflowBundle: opts.workflowBundle ?? (await cachedWorkflowBundle(workflowsPath)),
    activities: opts.activities ? (await import('./activities/instrument.ts')).instrument(opts.activities, opts.injectFailures) : lazyActivities(opts.injectFailures),
    identity: opts.identity ?? workerIdentity(),
    // The worker stops on SIGINT/SIGTERM itself and lets running activities finish or heartbeat-fail.
    shutdownGraceTime: '10s',
    // Heartbeats reach the server every 2 s (not 80% of the 10 s timeout): 8 s of margin before a
    // live activity could be taken for a dead one.
    maxHeartbeatThrottleInterval: '2s',
    // A workflow task waiting for a dead worker's sticky queue goes to any worker after this long
    // (the SDK's default is 10 s); a live worker picks its tasks up in milliseconds.
    stickyQueueScheduleToStartTimeout: '5s',
    // One thread for the workflows, as the SDK means its default to be with a reused V8 context;
    // left unset it starts two (its option defaults read `reuseV8Context` before defaulting it),
    // each compiling the 2 MB bundle and holding its own V8 heap, for workflow code that keeps one
    // thread a few per cent busy. Worker.create alone took 0.7–1.2 s instead of 1.5–2.2 s here
    // (docs/PERFORMANCE.md, "Start-up").
    workflowThreadPoolSize: 1,
  });
}
