import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { locateTemporalCli } from '../../src/client/temporal-binary.ts';
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
    server: { executable: { type: 'existing-path', path }, ip: '127.0.0.1' },
  });
}
