import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { DemoResult } from '../../src/model/result.ts';
import { sandboxDown } from '../../src/sandbox/index.ts';
import { assertOneLineError, cli, spawnCli } from '../helpers/cli.ts';
import { clientsFor } from '../helpers/sandbox.ts';
import { startTestServer } from '../helpers/temporal-env.ts';

const ID = 'cli-operator';

/**
 * The operator's side on a real sandbox: vm-b never becomes Ready, so wait-green-ready fails for
 * good; the run waits, `status` and `list` say so, `retry` runs the step again (and it fails
 * again), `skip` moves on, `cancel` removes the namespace the run created.
 */
describe('a run stuck at a failed step, answered through the CLI', { timeout: 600_000 }, () => {
  let env: TestWorkflowEnvironment;
  let vars: Record<string, string>;
  let config: string;
  let worker: ReturnType<typeof spawnCli> | undefined;
  before(async () => {
    env = await startTestServer();
    const dir = await mkdtemp(join(tmpdir(), 'udn-operator-'));
    vars = { TEMPORAL_ADDRESS: env.address, UDN_DEMO_DATA_DIR: dir };
    await writeFile(join(dir, 'faults.yaml'), 'vmiNeverReady: [green/vm-b]\n');
    config = join(dir, 'config.yaml');
    await writeFile(
      config,
      [
        'sandbox: { profile: instant, faultsFile: faults.yaml }',
        'timeouts: { wait-green-ready: 4 }',
        'retry: { initialIntervalSeconds: 0.2, maximumIntervalSeconds: 0.5, maximumAttempts: 2 }',
        'operator: { decisionTimeoutSeconds: 600 }',
        '',
      ].join('\n'),
    );
  });
  after(async () => {
    worker?.child.kill('SIGTERM');
    await worker?.child;
    if (vars) await sandboxDown(join(vars.UDN_DEMO_DATA_DIR!, 'sandbox', 'ovn'));
    await env?.teardown();
  });

  const status = async () => JSON.parse((await cli(['status', ID, '--json'], vars)).stdout || '{}') as DemoResult;
  async function waitingAt(step: string, decisions: number): Promise<DemoResult> {
    for (let i = 0; i < 600; i++) {
      const s = await status();
      if (s.awaiting?.step === step && (s.decisions?.length ?? 0) === decisions) return s;
      await sleep(250);
    }
    throw new Error(`never waited at ${step} after ${decisions} decisions: ${JSON.stringify(await status()).slice(0, 600)}`);
  }

  it('waits at the failed step, status and list say what it waits for; retry, skip and cancel each answer it', async () => {
    const started = await cli(['run', '--sandbox', '--scenario', 'namespace-isolation', '--config', config, '--detach', '--workflow-id', ID], vars);
    assert.equal(started.exitCode, 0, started.stderr);
    worker = spawnCli(['worker', '--config', config], vars, /worker: polling/);
    await worker.ready;

    const first = await waitingAt('wait-green-ready', 0);
    assert.equal(first.status, 'waiting');
    assert.match(first.awaiting!.reason, /green\/vm-b/);
    const shown = await cli(['status', ID], vars);
    assert.equal(shown.exitCode, 0);
    assert.match(shown.stdout, /Waiting for an operator since .* step wait-green-ready failed: .*vm-b/);
    assert.match(shown.stdout, new RegExp(`udn-demo retry ${ID} +run wait-green-ready again`));
    assert.match(shown.stdout, new RegExp(`udn-demo cancel ${ID} `));
    const listed = await cli(['list'], vars);
    assert.match(listed.stdout, new RegExp(`${ID} +RUNNING +waiting: wait-green-ready failed`));

    const wrong = await cli(['skip', ID, '--step', 'live-migration'], vars);
    assert.equal(wrong.exitCode, 2);
    assert.match(assertOneLineError(wrong), /waits on step wait-green-ready, not live-migration/);

    const retried = await cli(['retry', ID], vars);
    assert.equal(retried.exitCode, 0, retried.stderr);
    assert.match(retried.stderr, /retry: step wait-green-ready runs again/);
    const second = await waitingAt('wait-green-ready', 1);
    assert.ok(Date.parse(second.awaiting!.since) > Date.parse(first.awaiting!.since), 'the step ran again and failed again');

    const skipped = await cli(['skip', ID, '--step', 'wait-green-ready'], vars);
    assert.equal(skipped.exitCode, 0, skipped.stderr);
    // discover-addresses runs next: vm-b never started, so it fails for good and waits too.
    const third = await waitingAt('discover-addresses', 2);
    assert.equal(third.steps.find((s) => s.id === 'wait-green-ready')?.state, 'skipped');

    const cancelled = await cli(['cancel', ID], vars);
    assert.equal(cancelled.exitCode, 0, cancelled.stderr);
    assert.match(cancelled.stderr, new RegExp(`cancel: run ${ID} cancelled; removed namespace green$`, 'm'));
    const c = clientsFor(join(vars.UDN_DEMO_DATA_DIR!, 'sandbox', 'ovn', 'kubeconfig'));
    const namespaces = (await c.core.listNamespace()).items.map((n) => n.metadata?.name);
    assert.ok(!namespaces.includes('green'), `green is gone: ${namespaces.join(', ')}`);
    assert.ok(namespaces.includes('kube-system'), 'the cluster stays');

    const final = await cli(['status', ID, '--json'], vars);
    assert.equal(final.exitCode, 3, 'a cancelled run proved nothing');
    const result = JSON.parse(final.stdout) as DemoResult;
    assert.equal(result.status, 'cancelled');
    assert.deepEqual(result.cleanup, { removed: ['namespace green'] });
    assert.deepEqual(result.decisions?.map((d) => `${d.step}:${d.action}`), ['wait-green-ready:retry', 'wait-green-ready:skip']);
    assert.match((await cli(['list'], vars)).stdout, new RegExp(`${ID} +CANCELLED +cancelled`));

    const again = await cli(['cancel', ID], vars);
    assert.equal(again.exitCode, 2);
    assert.match(assertOneLineError(again), /has already ended \(CANCELLED\); nothing to cancel/);
  });
});
