import { TestWorkflowEnvironment } from '@temporalio/testing';
import { locateTemporalCli } from '../../src/client/temporal-binary.ts';
import { installRuntime } from '../../src/worker.ts';

/**
 * A real Temporal dev server for tests, from the same binary the CLI uses (never the SDK's
 * download, which this machine cannot reach).
 */
export async function startTestServer(): Promise<TestWorkflowEnvironment> {
  installRuntime();
  const { path } = await locateTemporalCli({ log: () => undefined });
  return TestWorkflowEnvironment.createLocal({
    server: { executable: { type: 'existing-path', path }, ip: '127.0.0.1' },
  });
}
