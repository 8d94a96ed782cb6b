/**
 * Runs of the whole demo on one sandbox for the orchestration benchmarks: through DemoWorkflow on
 * a real Temporal dev server (with the real activities), or through the plain script. Each run
 * starts from a cluster without the demo's namespaces, so every run rolls out, waits and migrates
 * for real. The sandbox lives in the benchmark's own data directory (bench/child.ts sets it).
 */
import { randomUUID } from 'node:crypto';
import type { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { dynamicConfigArgs } from '../src/client/dev-server-config.ts';
import { locateTemporalCli } from '../src/client/temporal-binary.ts';
import { kubeConfigFor } from '../src/cluster/kube.ts';
import { deleteNamespaces } from '../src/cluster/namespaces.ts';
import { providerFor } from '../src/cluster/providers/index.ts';
import { configSchema } from '../src/config/schema.ts';
import type { StepId } from '../src/scenarios/index.ts';
import type { DemoResult } from '../src/model/result.ts';
import { createWorker, installRuntime } from '../src/worker.ts';
import { demoInputFromConfig, type DemoInput } from '../src/workflows/demo-input.ts';
import { runPlainDemo, type StepTime } from './plain-demo.ts';

export interface DemoRun {
  totalMs: number;
  steps: StepTime[];
  /** Through Temporal only: the workflow's history, and each step's start and end (workflow time, ms since the epoch). */
  history?: temporal.api.history.v1.IHistory;
  spans?: { id: string; startedAt: number; endedAt: number }[];
}

/** What `udn-demo run` does while it follows a run: the progress query and a describe, every 500 ms (src/cli/run/follow.ts). */
const FOLLOW_EVERY_MS = 500;

export interface DemoBench {
  input: (overrides?: { ordering?: DemoInput['ordering'] }) => DemoInput;
  /** `followed`: a follower polls the run meanwhile, as the CLI does. */
  viaTemporal: (input: DemoInput, opts?: { followed?: boolean }) => Promise<DemoRun>;
  plain: (input: DemoInput) => Promise<DemoRun>;
  close: () => Promise<void>;
}

export async function demoBench(sandbox: { profile: 'instant' | 'realistic'; scale: number }, logFile: string): Promise<DemoBench> {
  installRuntime(logFile);
  const { path } = await locateTemporalCli({ log: () => undefined });
  // Configured as the dev server `udn-demo` starts (activity eager execution on).
  const env = await TestWorkflowEnvironment.createLocal({ server: { executable: { type: 'existing-path', path }, ip: '127.0.0.1', extraArgs: process.env.BENCH_NO_EAGER ? [] : dynamicConfigArgs() } });
  const taskQueue = `bench-${randomUUID()}`;
  const worker = await createWorker({ connection: env.nativeConnection, temporal: { ...configSchema.parse({}).temporal, taskQueue } });
  const running = worker.run();
  const config = configSchema.parse({ cluster: { provider: 'sandbox' }, sandbox, operator: { decisionTimeoutSeconds: 0 } });
  const input = (overrides: { ordering?: DemoInput['ordering'] } = {}) => ({ ...demoInputFromConfig(config), ...overrides });
  const provider = providerFor('sandbox', { sandbox: config.sandbox, kind: config.cluster.kind });

  /** Every run starts without the demo's namespaces (the cluster stays: its creation is not orchestration). */
  const reset = async () => {
    const ref = await provider.existing(config.cluster.name);
    if (ref) await deleteNamespaces(kubeConfigFor(ref), [config.scenario.green.namespace, config.scenario.blue.namespace], { waitMs: 120_000 });
  };

  return {
    input,
    async viaTemporal(demoInput, opts = {}) {
      await reset();
      const started = performance.now();
      const handle = await env.client.workflow.start('DemoWorkflow', { taskQueue, workflowId: `bench-${randomUUID()}`, args: [demoInput] });
      const follower = opts.followed ? setInterval(() => void Promise.all([handle.query('progress'), handle.describe()]).catch(() => undefined), FOLLOW_EVERY_MS) : undefined;
      const result = (await handle.result().finally(() => clearInterval(follower))) as DemoResult;
      const totalMs = performance.now() - started;
      const history = await handle.fetchHistory();
      if (result.status !== 'passed') throw new Error(`the demo did not pass through Temporal: ${JSON.stringify(result.checks.filter((c) => !c.passed))}`);
      const spans = result.steps.map((s) => ({ id: s.id, startedAt: Date.parse(s.startedAt!), endedAt: Date.parse(s.endedAt!) }));
      return { totalMs, steps: spans.map((s) => ({ id: s.id as StepId, ms: s.endedAt - s.startedAt })), history, spans };
    },
    async plain(demoInput) {
      await reset();
      const started = performance.now();
      const steps = await runPlainDemo(demoInput, `plain-${randomUUID().slice(0, 8)}`);
      return { totalMs: performance.now() - started, steps };
    },
    async close() {
      worker.shutdown();
      await running;
      await env.teardown();
      await provider.remove(config.cluster.name);
    },
  };
}
