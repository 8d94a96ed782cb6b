import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { configSchema } from '../../src/config/schema.ts';
import type { DemoResult } from '../../src/model/result.ts';
import { sandboxDown } from '../../src/sandbox/index.ts';
import { demoInputFromConfig } from '../../src/workflows/demo-input.ts';
import { progressQuery } from '../../src/workflows/queries.ts';
import { spawnCli } from '../helpers/cli.ts';
import { clientsFor } from '../helpers/sandbox.ts';
import { startTestServer } from '../helpers/temporal-env.ts';

/**
 * SIGKILL the worker while the live-migration step waits for its migration; a new worker
 * resumes the run: one migration, no duplicated objects.
 */
describe('a worker killed during the migration step', { timeout: 240_000 }, () => {
  let env: TestWorkflowEnvironment;
  let data: string;
  before(async () => {
    env = await startTestServer();
    data = await mkdtemp(join(tmpdir(), 'udn-crash-'));
  });
  after(async () => {
    await sandboxDown(join(data, 'sandbox', 'ovn'));
    await env?.teardown();
  });

  it('resumes on a new worker without a second migration or duplicate objects', async () => {
    const vars = { TEMPORAL_ADDRESS: env.address, UDN_DEMO_DATA_DIR: data };
    const config = configSchema.parse({ cluster: { provider: 'sandbox' }, sandbox: { profile: 'realistic', scale: 0.5 } });
    const handle = await env.client.workflow.start('DemoWorkflow', { taskQueue: 'udn-demo', workflowId: 'crash-during-migration', args: [demoInputFromConfig(config)] });
    const first = spawnCli(['worker'], vars, /worker: polling/);
    await first.ready;
    for (let i = 0; i < 600; i++) {
      const p = await handle.query(progressQuery).catch(() => undefined);
      if (p?.steps.find((s) => s.id === 'live-migration')?.state === 'running') break;
      await sleep(100);
    }
    const c = clientsFor(join(data, 'sandbox', 'ovn', 'kubeconfig'));
    const migrations = () => c.custom.listNamespacedCustomObject({ group: 'kubevirt.io', version: 'v1', namespace: 'green', plural: 'virtualmachineinstancemigrations' }).then((l: any) => l.items);
    for (let i = 0; i < 200 && (await migrations()).length === 0; i++) await sleep(100);
    assert.equal((await migrations()).length, 1, 'the migration was created before the kill');
    first.child.kill('SIGKILL');
    await first.child;

    const second = spawnCli(['worker'], vars, /worker: polling/);
    await second.ready;
    const result = (await handle.result()) as DemoResult;
    second.child.kill('SIGTERM');
    await second.child;

    const step = result.steps.find((s) => s.id === 'live-migration')!;
    assert.equal(step.state, 'succeeded', step.outcome);
    assert.ok(step.attempts >= 2, `the migration activity ran again on the new worker (attempts ${step.attempts})`);
    assert.equal((await migrations()).length, 1, 'one migration, not two');
    assert.notEqual(result.migration?.targetNode, result.migration?.sourceNode);
    const vms = await c.custom.listNamespacedCustomObject({ group: 'kubevirt.io', version: 'v1', namespace: 'green', plural: 'virtualmachines' });
    assert.equal((vms as any).items.length, 2);
    const pods = await c.core.listNamespacedPod({ namespace: 'green' });
    const launchers = (vm: string) => pods.items.filter((p) => p.metadata?.labels?.['vm.kubevirt.io/name'] === vm).length;
    assert.equal(launchers('vm-a'), 1);
    assert.equal(launchers('vm-b'), 2, 'source and target launcher of the one migration');
  });
});
