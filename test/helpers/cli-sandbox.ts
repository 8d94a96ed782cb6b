import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { kubeConfigFor } from '../../src/cluster/kube.ts';
import { sandboxDown, sandboxStatus } from '../../src/sandbox/index.ts';
import type { CliResult } from './cli.ts';
import { eventually } from './sandbox.ts';
import { startTestServer } from './temporal-env.ts';

/**
 * For a describe block that drives the real CLI: a dev server of its own and a data directory
 * whose sandbox the runs bring up, torn down after. Each file has its own, so files run side by side.
 */
export function useCliSandbox(prefix: string) {
  let env: TestWorkflowEnvironment | undefined;
  const vars: Record<string, string> = {};
  before(async () => {
    env = await startTestServer();
    Object.assign(vars, { TEMPORAL_ADDRESS: env.address, UDN_DEMO_DATA_DIR: await mkdtemp(join(tmpdir(), prefix)) });
  });
  after(async () => {
    if (vars.UDN_DEMO_DATA_DIR) await sandboxDown(join(vars.UDN_DEMO_DATA_DIR, 'sandbox', 'ovn'));
    await env?.teardown();
  });
  return {
    vars,
    get env(): TestWorkflowEnvironment {
      if (!env) throw new Error('the test server is not up yet');
      return env;
    },
    /** The runs' sandbox, once a run has brought it up. */
    async sandboxKubeConfig() {
      const status = await eventually('the sandbox is up', () => sandboxStatus(join(vars.UDN_DEMO_DATA_DIR!, 'sandbox', 'ovn')), (s) => s.state === 'ready', 60_000);
      return kubeConfigFor({ provider: 'sandbox', name: 'ovn', kubeconfigPath: status.kubeconfigPath! });
    },
  };
}

/** A user error after the CLI's progress lines: the last line of stderr, with no stack trace anywhere. */
export function lastErrorLine(r: CliResult): string {
  assert.ok(!/\n\s+at /.test(r.stderr) && !r.stderr.includes('node_modules'), `stack trace on stderr:\n${r.stderr}`);
  return r.stderr.trim().split('\n').at(-1)!;
}
