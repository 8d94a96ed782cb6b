import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { cli, spawnCli } from '../helpers/cli.ts';
import { useCliSandbox, lastErrorLine } from '../helpers/cli-sandbox.ts';
import { claimLease, leaseHolder, releaseLease } from '../../src/cluster/run-lease.ts';
import { eventually } from '../helpers/sandbox.ts';

/** One run per cluster, through the CLI on a real sandbox: the Lease, teardown's refusal, --take-over. */
describe('udn-demo run: one run per cluster', { timeout: 600_000 }, () => {
  const fx = useCliSandbox('udn-cli-lease-');
  const { vars } = fx;

  it('one run per cluster: a second run exits 3 naming the open one, teardown is refused while it holds the cluster; after `cancel` the second run passes', async () => {
    // A worker of its own, whose migrations fail for good: the holder parks at live-migration, open, holding the cluster.
    const worker = spawnCli(['worker', '--fail-activity', 'migrateVmi=20'], vars, /worker: polling task queue udn-demo/);
    await worker.ready;
    try {
      const holder = await cli(['run', '--sandbox', '--detach', '--scenario', 'namespace-isolation', '--workflow-id', 'cli-holder'], vars);
      assert.equal(holder.exitCode, 0, holder.stderr);
      const second = await cli(['run', '--sandbox', '--no-worker', '--workflow-id', 'cli-second'], vars);
      assert.equal(second.exitCode, 3, second.stderr);
      assert.match(lastErrorLine(second), /^udn-demo: the sandbox cluster "ovn" is in use by run cli-holder \(open in Temporal since .*\); wait for it to end, or stop it: udn-demo cancel cli-holder$/);
      await assert.rejects(fx.env.client.workflow.getHandle('cli-second').describe(), /not found/i, 'the refused run was not started');
      const kc = await fx.sandboxKubeConfig();
      await eventually('cli-holder claims the cluster at its first apply', () => leaseHolder(kc), (h) => h?.holder === 'cli-holder', 60_000);
      const teardown = await cli(['teardown', '--sandbox'], vars);
      assert.equal(teardown.exitCode, 3, teardown.stderr);
      assert.match(lastErrorLine(teardown), /in use by run cli-holder .*cancel it first.*udn-demo cancel cli-holder$/);
      const cancelled = await cli(['cancel', 'cli-holder'], vars);
      assert.equal(cancelled.exitCode, 0, cancelled.stderr);
      assert.equal(await leaseHolder(kc), undefined, 'the cancelled run let go of the cluster');
    } finally {
      worker.child.kill('SIGTERM');
      await worker.child;
    }
    const after = await cli(['run', '--sandbox', '--scenario', 'namespace-isolation', '--workflow-id', 'cli-second'], vars);
    assert.equal(after.exitCode, 0, after.stderr);
    assert.equal(await leaseHolder(await fx.sandboxKubeConfig()), undefined, 'a run that ends lets go');
  });

  it('a run that ended still holding the cluster is named, with --take-over as the way on; --take-over hands the new run its id', async () => {
    const kc = await fx.sandboxKubeConfig();
    // As a run that was terminated leaves it: held by a run Temporal has closed.
    assert.equal(await claimLease(kc, 'cli-second'), 'claimed');
    const refused = await cli(['run', '--sandbox', '--detach', '--no-worker', '--workflow-id', 'cli-taker'], vars);
    assert.equal(refused.exitCode, 3, refused.stderr);
    assert.match(lastErrorLine(refused), /is still held by run cli-second since \S+, which has ended \(completed\) without letting go; take it over: udn-demo run --take-over$/);
    const taken = await cli(['run', '--sandbox', '--detach', '--no-worker', '--take-over', '--workflow-id', 'cli-taker'], vars);
    assert.equal(taken.exitCode, 0, taken.stderr);
    const handle = fx.env.client.workflow.getHandle('cli-taker');
    const history = await handle.fetchHistory();
    const input = history.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!;
    assert.equal((JSON.parse(Buffer.from(input.data!).toString()) as { takeOver?: string }).takeOver, 'cli-second');
    await handle.terminate('test: the take-over was only to be started');
    assert.equal(await releaseLease(kc, 'cli-second'), true);
  });
});
