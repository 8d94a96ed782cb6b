/**
 * Runs of the whole demo on one sandbox for the orchestration benchmarks: through DemoWorkflow on
 * a real Temporal dev server (with the real activities), or through the plain script. Each run
 * starts from a cluster without the demo's namespaces, so every run rolls out, waits and migrates
 * for real. The sandbox lives in the benchmark's own data directory (bench/child.ts sets it).
 */
import { randomUUID } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
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
}

export interface DemoBench {
  input: (overrides?: { ordering?: DemoInput['ordering'] }) => DemoInput;
  viaTemporal: (input: DemoInput) => Promise<DemoRun>;
  plain: (input: DemoInput) => Promise<DemoRun>;
  close: () => Promise<void>;
}

export async function demoBench(sandbox: { profile: 'instant' | 'realistic'; scale: number }, logFile: string): Promise<DemoBench> {
  installRuntime(logFile);
  const { path } = await locateTemporalCli({ log: () => undefined });
  const env = await TestWorkflowEnvironment.createLocal({ server: { executable: { type: 'existing-path', path }, ip: '127.0.0.1' } });
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
    async viaTemporal(demoInput) {
      await reset();
      const started = performance.now();
      const result = (await env.client.workflow.execute('DemoWorkflow', { taskQueue, workflowId: `bench-${randomUUID()}`, args: [demoInput] })) as DemoResult;
      const totalMs = performance.now() - started;
      if (result.status !== 'passed') throw new Error(`the demo did not pass through Temporal: ${JSON.stringify(result.checks.filter((c) => !c.passed))}`);
      return { totalMs, steps: result.steps.map((s) => ({ id: s.id as StepId, ms: Date.parse(s.endedAt!) - Date.parse(s.startedAt!) })) };
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
