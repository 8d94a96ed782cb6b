import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { dynamicConfigArgs } from '../../src/client/dev-server-config.ts';
import { locateTemporalCli } from '../../src/client/temporal-binary.ts';
import { STATUS_ATTRIBUTE } from '../../src/model/status-attribute.ts';
import { installRuntime } from '../../src/worker.ts';

/** The SDK's own log during tests: failing workflows are expected there, and would drown the test output. */
export const TEST_SDK_LOG = join(tmpdir(), 'udn-demo-test-sdk.log');

/**
 * A real Temporal dev server for tests, from the same binary the CLI uses (never the SDK's
 * download, which this machine cannot reach).
 */
export async function startTestServer(): Promise<TestWorkflowEnvironment> {
  installRuntime(TEST_SDK_LOG);
  const { path } = await locateTemporalCli({ log: () => undefined });
  return TestWorkflowEnvironment.createLocal({
    // Configured as the embedded dev server is: runs may set the attribute, activities start eagerly.
    server: { executable: { type: 'existing-path', path }, ip: '127.0.0.1', searchAttributes: [STATUS_ATTRIBUTE], extraArgs: dynamicConfigArgs() },
  });
}

/** A dev server for the describe block this is called in: up before its tests, torn down after. */
export function useTestServer(): { readonly env: TestWorkflowEnvironment } {
  let env: TestWorkflowEnvironment | undefined;
  before(async () => {
    env = await startTestServer();
  });
  after(async () => {
    await env?.teardown();
  });
  return {
    get env() {
      if (!env) throw new Error('the test server is not up yet');
      return env;
    },
  };
}
