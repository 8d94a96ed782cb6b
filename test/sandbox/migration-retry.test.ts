import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { DemoResult } from '../../src/model/result.ts';
import { sandboxDown, sandboxStatus } from '../../src/sandbox/index.ts';
import { cli, spawnCli } from '../helpers/cli.ts';
import { clientsFor } from '../helpers/sandbox.ts';
import { startTestServer } from '../helpers/temporal-env.ts';

/**
 * An operator's retry of live-migration migrates again, on a real sandbox through the real CLI:
 * the first migration of vm-b fails, the run waits, `udn-demo retry` runs the step as a new round
 * with a VirtualMachineInstanceMigration of its own, and the run passes on it.
 */
describe('retrying live-migration on the sandbox migrates again', { timeout: 600_000 }, () => {
  let env: TestWorkflowEnvironment;
  let vars: Record<string, string>;
  before(async () => {
    env = await startTestServer();
    vars = { TEMPORAL_ADDRESS: env.address, UDN_DEMO_DATA_DIR: await mkdtemp(join(tmpdir(), 'udn-migration-retry-')) };
  });
  after(async () => {
    if (vars) {
      await sandboxDown(join(vars.UDN_DEMO_DATA_DIR!, 'sandbox', 'ovn'));
      await rm(vars.UDN_DEMO_DATA_DIR!, { recursive: true, force: true });
    }
    await env?.teardown();
  });

  it('migrationFailsOnce: the run waits at live-migration; retry makes a second migration object and the run passes', async () => {
    const dir = vars.UDN_DEMO_DATA_DIR!;
    await writeFile(join(dir, 'faults.yaml'), 'migrationFailsOnce: [green/vm-b]\n');
    await writeFile(join(dir, 'config.yaml'), `sandbox: { profile: instant, faultsFile: ${JSON.stringify(join(dir, 'faults.yaml'))} }\noperator: { decisionTimeoutSeconds: 300 }\n`);
    const run = spawnCli(['run', '--sandbox', '-c', join(dir, 'config.yaml'), '--scenario', 'namespace-isolation', '--json', '--workflow-id', 'migration-retry'], vars, /udn-demo retry migration-retry +run live-migration again/);
    await run.ready;
    assert.match(run.stderr(), /step live-migration failed: .*migration .* (failed|Failed)/i);
    const retried = await cli(['retry', 'migration-retry'], vars);
    assert.equal(retried.exitCode, 0, retried.stderr);
    const r = await run.child;
    assert.equal(r.exitCode, 0, run.stderr());
    const result = JSON.parse(String(r.stdout)) as DemoResult;
    assert.equal(result.status, 'passed');
    assert.deepEqual(result.decisions?.map((d) => [d.step, d.action]), [['live-migration', 'retry']]);
    assert.equal(result.checks.find((c) => c.id === 'live-migration')?.passed, true);

    const status = await sandboxStatus(join(dir, 'sandbox', 'ovn'));
    const { custom } = clientsFor(status.kubeconfigPath!);
    const list = (await custom.listNamespacedCustomObject({ group: 'kubevirt.io', version: 'v1', namespace: 'green', plural: 'virtualmachineinstancemigrations' })) as { items: { metadata: { name: string; creationTimestamp: string }; status?: { phase?: string } }[] };
    const migrations = list.items.sort((a, b) => a.metadata.creationTimestamp.localeCompare(b.metadata.creationTimestamp)).map((m) => [m.metadata.name, m.status?.phase]);
    assert.equal(migrations.length, 2, JSON.stringify(migrations));
    assert.equal(migrations[0]![1], 'Failed');
    assert.equal(migrations[1]![1], 'Succeeded');
    assert.notEqual(migrations[0]![0], migrations[1]![0], 'the retry made a migration of its own');
    assert.match(String(migrations[1]![0]), /round-2/);
    await env.client.workflow.getHandle('migration-retry/live-migration/round-2').describe();
  });
});
