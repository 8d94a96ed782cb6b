import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { NativeConnection, bundleWorkflowCode, type WorkflowBundle } from '@temporalio/worker';
import { configSchema } from '../../src/config/schema.ts';
import type { DemoResult } from '../../src/model/result.ts';
import { createWorker, installRuntime, workflowsPath } from '../../src/worker.ts';
import { TEST_SDK_LOG } from './temporal-env.ts';
import { demoInputFromConfig, type DemoInput } from '../../src/workflows/demo-input.ts';
import { generatedTenants, tenantsInputFromConfig, type TenantsInput } from '../../src/workflows/tenants-input.ts';
import { fakeActivities, type FakeBehaviour } from './fake-activities.ts';

let bundle: Promise<WorkflowBundle> | undefined;

/** Bundling takes seconds; every test in a process shares one bundle of the real workflow code. */
export function demoBundle(): Promise<WorkflowBundle> {
  installRuntime(TEST_SDK_LOG);
  bundle ??= bundleWorkflowCode({ workflowsPath, logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error } as never });
  return bundle;
}

/** Fast retries so a test that retries twice takes a fraction of a second. */
export function testInput(overrides: Partial<DemoInput> = {}): DemoInput {
  // A step that fails for good fails the run at once, unless a test asks for an operator's decision.
  const input = demoInputFromConfig(
    configSchema.parse({ cluster: { provider: 'sandbox' }, retry: { initialIntervalSeconds: 0.05, maximumIntervalSeconds: 0.2, maximumAttempts: 4 }, operator: { decisionTimeoutSeconds: 0 } }),
  );
  return { ...input, ...overrides };
}

/** N generated tenants, with the same fast retries. */
export function tenantsInput(n: number, probeConcurrency = 16): TenantsInput {
  const config = configSchema.parse({ cluster: { provider: 'sandbox' }, retry: { initialIntervalSeconds: 0.05, maximumIntervalSeconds: 0.2, maximumAttempts: 2 } });
  return { ...tenantsInputFromConfig(config), tenants: generatedTenants(n), probeConcurrency };
}

export interface DemoRunOptions {
  behaviour?: FakeBehaviour;
  input?: DemoInput;
  workflowId?: string;
  /** Runs while the workflow does, with its handle (e.g. to query progress). */
  during?: (handle: WorkflowHandle) => Promise<void>;
  /** Another workflow type than DemoWorkflow, with its input (`input` is then ignored). */
  workflow?: { type: 'TenantsWorkflow'; input: TenantsInput };
}

/** Runs DemoWorkflow on a real server with fake activities; resolves with the result or the failure. */
export async function runDemoWithFakes(env: TestWorkflowEnvironment, opts: DemoRunOptions = {}): Promise<DemoRunOutcome> {
  return runDemo(env.client, env.nativeConnection, opts);
}

/** The same against any server, e.g. the embedded dev server. */
export async function runDemoOnClient(client: Client, address: string, opts: DemoRunOptions = {}): Promise<DemoRunOutcome> {
  installRuntime(TEST_SDK_LOG);
  const connection = await NativeConnection.connect({ address });
  try {
    return await runDemo(client, connection, opts);
  } finally {
    await connection.close();
  }
}

export interface DemoRunOutcome<R = DemoResult> {
  workflowId: string;
  outcome: R | Error;
}

async function runDemo(client: Client, connection: NativeConnection, opts: DemoRunOptions): Promise<DemoRunOutcome> {
  const taskQueue = `test-${randomUUID()}`;
  const worker = await createWorker({
    connection,
    temporal: { ...configSchema.parse({}).temporal, taskQueue, namespace: client.options.namespace },
    activities: fakeActivities(opts.behaviour),
    workflowBundle: await demoBundle(),
  });
  const workflowId = opts.workflowId ?? `test-demo-${randomUUID()}`;
  const outcome = await worker.runUntil(async () => {
    const [type, input] = opts.workflow ? [opts.workflow.type, opts.workflow.input] : ['DemoWorkflow', opts.input ?? testInput()];
    const handle = await client.workflow.start(type, { taskQueue, workflowId, args: [input] });
    const during = opts.during?.(handle);
    const result = await handle.result().then(
      (r: DemoResult) => r,
      (err: Error) => err,
    );
    await during;
    return result;
  });
  return { workflowId, outcome };
}
