import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeConfig } from '@kubernetes/client-node';
import { kubeConfigFor } from '../../src/cluster/kube.ts';
import { ClusterBusy, claimLease, leaseHolder, releaseLease } from '../../src/cluster/run-lease.ts';
import { sandboxDown, type SandboxStatus } from '../../src/sandbox/index.ts';
import { freshSandbox } from '../helpers/sandbox.ts';

/** One run per cluster, on a real API server: the Lease's conditional writes decide who holds it. */
describe("the run's Lease on a real API server", { timeout: 120_000 }, () => {
  let sandbox: SandboxStatus;
  let kc: KubeConfig;
  before(async () => {
    sandbox = await freshSandbox();
    kc = kubeConfigFor({ provider: 'sandbox', name: 'ovn', kubeconfigPath: sandbox.kubeconfigPath! });
  });
  after(async () => {
    if (sandbox) await sandboxDown(sandbox.dir);
  });

  it('a run claims it once and keeps it; another run is refused, named by the holder', async () => {
    assert.equal(await leaseHolder(kc), undefined);
    assert.equal(await claimLease(kc, 'run-a'), 'claimed');
    assert.equal(await claimLease(kc, 'run-a'), 'held', 'a retried claim keeps it');
    await assert.rejects(claimLease(kc, 'run-b'), (err: unknown) => {
      assert.ok(err instanceof ClusterBusy);
      assert.equal(err.holder.holder, 'run-a');
      assert.match(err.message, /^the cluster is in use by run run-a \(since \d{4}-/);
      return true;
    });
    assert.equal((await leaseHolder(kc))?.holder, 'run-a');
  });

  it('only the holder lets go; --take-over replaces only the run it names', async () => {
    assert.equal(await releaseLease(kc, 'run-b'), false, "another run's release leaves it");
    assert.equal((await leaseHolder(kc))?.holder, 'run-a');
    await assert.rejects(claimLease(kc, 'run-c', 'run-b'), ClusterBusy, 'a take-over of a run that is not the holder');
    assert.equal(await claimLease(kc, 'run-c', 'run-a'), 'taken-over');
    assert.equal((await leaseHolder(kc))?.holder, 'run-c');
    assert.equal(await releaseLease(kc, 'run-c'), true);
    assert.equal(await leaseHolder(kc), undefined);
    assert.equal(await releaseLease(kc, 'run-c'), false, 'releasing twice is harmless');
  });

  it('two runs claiming at once: exactly one wins, the other is told who', async () => {
    for (let round = 0; round < 5; round++) {
      const outcomes = await Promise.allSettled([claimLease(kc, `x-${round}`), claimLease(kc, `y-${round}`)]);
      const won = outcomes.filter((o) => o.status === 'fulfilled');
      assert.equal(won.length, 1, JSON.stringify(outcomes));
      const holder = (await leaseHolder(kc))!.holder;
      const lost = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
      assert.ok(lost.reason instanceof ClusterBusy, String(lost.reason));
      assert.equal(lost.reason.holder.holder, holder);
      assert.equal(await releaseLease(kc, holder), true);
    }
  });
});
