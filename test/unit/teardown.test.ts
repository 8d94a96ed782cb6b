import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ClusterProvider } from '../../src/cluster/providers/types.ts';
import { tearDown } from '../../src/cluster/teardown.ts';

/** A provider that records its removals; anything else it is asked is a test failure. */
function recordingProvider(removed: string[]): ClusterProvider {
  const unexpected = () => Promise.reject(new Error('not part of a teardown'));
  return {
    key: (name) => `test:${name}`,
    preflight: unexpected,
    ensure: unexpected,
    existing: unexpected,
    outsideExec: unexpected,
    async remove(name) {
      removed.push(name);
      return [`sandbox ${name} (its processes and data)`];
    },
  };
}

describe('tearDown: what teardown and a cancelled run remove', () => {
  // A kubeconfig that cannot be read: touching the cluster's API would throw.
  const unreachable = { provider: 'sandbox' as const, name: 'ovn', kubeconfigPath: '/nonexistent/kubeconfig' };

  it('removing the cluster takes its namespaces with it: the cluster API is not asked, so a broken one still goes', async () => {
    const calls: string[] = [];
    const removed = await tearDown(recordingProvider(calls), { cluster: unreachable, clusterName: 'ovn', namespaces: ['green', 'blue'], removeCluster: true });
    assert.deepEqual(removed, ['sandbox ovn (its processes and data)']);
    assert.deepEqual(calls, ['ovn']);
  });

  it('without a running cluster there are no namespaces to delete, and the cluster stays unless asked', async () => {
    const calls: string[] = [];
    assert.deepEqual(await tearDown(recordingProvider(calls), { clusterName: 'ovn', namespaces: ['green', 'blue'], removeCluster: false }), []);
    assert.deepEqual(calls, []);
  });

  it('namespaces are deleted through the running cluster, which is kept', async () => {
    const calls: string[] = [];
    await assert.rejects(tearDown(recordingProvider(calls), { cluster: unreachable, clusterName: 'ovn', namespaces: ['green'], removeCluster: false }), /nonexistent\/kubeconfig/);
    assert.deepEqual(calls, []);
  });
});
