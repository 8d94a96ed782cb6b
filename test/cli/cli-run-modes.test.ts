import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import type { DemoResult } from '../../src/model/result.ts';
import { cli, spawnCli } from '../helpers/cli.ts';
import { useCliSandbox } from '../helpers/cli-sandbox.ts';

/** The ways of running: detached and attached, fast ordering, a failing check, Ctrl-C, a worker of its own. */
describe('udn-demo run: detached, attached, fast, failing, interrupted, with its own worker', { timeout: 600_000 }, () => {
  const fx = useCliSandbox('udn-cli-modes-');
  const { vars } = fx;

  it('--detach --no-worker starts and returns; run --workflow-id attaches and finishes it with its own worker', async () => {
    // One scenario is enough to show detach and attach (cli-run.test.ts runs the whole talk).
    const started = await cli(['run', '--sandbox', '--scenario', 'namespace-isolation', '--detach', '--no-worker', '--json', '--workflow-id', 'cli-detached'], vars);
    assert.equal(started.exitCode, 0, started.stderr);
    assert.deepEqual(JSON.parse(started.stdout), { workflowId: 'cli-detached', status: 'running' });
    const waiting = await cli(['status', 'cli-detached'], vars);
    assert.equal(waiting.exitCode, 0);
    assert.match(waiting.stderr, /is running, but no worker answered/);
    const attached = await cli(['run', '--workflow-id', 'cli-detached'], vars);
    assert.match(attached.stderr, /attached to cli-detached/);
    assert.equal(attached.exitCode, 0, attached.stderr);
    assert.match(attached.stdout, /Run cli-detached: PASSED/);
  });

  it('--ordering fast: independent steps run side by side on the real sandbox (consoles shared), every check passes', async () => {
    const r = await cli(['run', '--sandbox', '--scenario', 'namespace-isolation', '--ordering', 'fast', '--json', '--workflow-id', 'cli-fast'], vars);
    assert.equal(r.exitCode, 0, r.stderr);
    const result = JSON.parse(r.stdout) as DemoResult;
    assert.equal(result.status, 'passed');
    const at = (id: string, end: 'startedAt' | 'endedAt') => Date.parse(result.steps.find((s) => s.id === id)![end]!);
    assert.ok(at('apply-blue', 'startedAt') < at('wait-green-ready', 'endedAt'), "blue's rollout during green's wait");
    assert.ok(at('check-isolation', 'startedAt') < at('live-migration', 'endedAt'), 'isolation probed during the migration');
    assert.ok(at('apply-netpol', 'startedAt') >= at('live-migration', 'endedAt'), 'the policy only after the migration');
    assert.equal(result.migration?.survived, true);
  });

  it('the checks can fail: with the NetworkPolicy left out, netpol-blocks-9000 fails with the webserver\'s answer as evidence, exit 1', async () => {
    // Namespaces of their own, so the policy the earlier runs applied to green does not count.
    const config = join(vars.UDN_DEMO_DATA_DIR!, 'no-policy.yaml');
    await writeFile(
      config,
      [
        'scenario:',
        '  green: { namespace: green-nopol, subnet: 203.203.0.0/16 }',
        '  blue: { namespace: blue-nopol, subnet: 192.168.0.0/16 }',
        '  networkPolicy: false',
        '  probes: { eventuallySeconds: 3, consistentlySeconds: 1 }',
      ].join('\n'),
    );
    const r = await cli(['run', '--sandbox', '--scenario', 'namespace-isolation', '--json', '--config', config, '--workflow-id', 'cli-no-policy'], vars);
    assert.equal(r.exitCode, 1, r.stderr);
    const result = JSON.parse(r.stdout) as DemoResult;
    assert.equal(result.steps.find((s) => s.id === 'apply-netpol')?.outcome, 'nothing to apply');
    const blocks = result.checks.find((c) => c.id === 'netpol-blocks-9000')!;
    assert.equal(blocks.passed, false);
    assert.match(blocks.expected, /green-nopol\/vm-a → green-nopol\/webserver tcp:9000: blocked \(NetworkPolicy ingress-port-9001-only selects green-nopol\/webserver and allows no TCP 9000\)/);
    assert.match(blocks.observed, /: reached \(connected \(HTTP 200\)/);
    assert.match(blocks.evidence[0]!, /:9000\/\nNOW: \S+\nhttp_code=200\n\[exit 0\]/);
    assert.deepEqual(result.checks.filter((c) => !c.passed).map((c) => c.id), ['netpol-blocks-9000']);
    assert.match(r.stderr, /\[16\/19\] check-netpol-blocks .* netpol-blocks-9000 FAILED/);
  });

  it('Ctrl-C while following leaves the run open in Temporal and says how to resume', async () => {
    const started = await cli(['run', '--sandbox', '--detach', '--no-worker', '--workflow-id', 'cli-interrupted'], vars);
    assert.equal(started.exitCode, 0, started.stderr);
    const follower = spawnCli(['run', '--workflow-id', 'cli-interrupted', '--no-worker'], vars, /attached to cli-interrupted/);
    await follower.ready;
    follower.child.kill('SIGINT');
    const r = await follower.child;
    assert.equal(r.exitCode, 130, `signal ${r.signal}; stderr: ${follower.stderr()}`);
    assert.match(follower.stderr(), /interrupted; the run goes on in Temporal\. Resume with `udn-demo run --workflow-id cli-interrupted`/);
    const { status } = await fx.env.client.workflow.getHandle('cli-interrupted').describe();
    assert.equal(status.name, 'RUNNING');
  });

  it('`udn-demo worker` polls until SIGTERM, then drains and exits 0; it fails the activities --fail-activity names, and the run retries them', async () => {
    const worker = spawnCli(['worker', '--fail-activity', 'migrateVmi=1', '--fail-activity', 'writeReport=2'], vars, /worker: polling task queue udn-demo/);
    await worker.ready;
    // The run left open by the previous test is picked up and finished.
    const result = (await fx.env.client.workflow.getHandle('cli-interrupted').result()) as DemoResult;
    assert.equal(result.status, 'passed');
    const step = (id: string) => result.steps.find((s) => s.id === id)!;
    assert.equal(step('live-migration').state, 'succeeded');
    assert.deepEqual([step('preflight').attempts, step('live-migration').attempts, step('report').attempts], [1, 2, 3]);
    worker.child.kill('SIGTERM');
    const r = await worker.child;
    assert.equal(r.exitCode, 0, worker.stderr());
    assert.match(worker.stderr(), /worker: stopped/);
  });
});
