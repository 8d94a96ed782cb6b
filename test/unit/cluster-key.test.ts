import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clusterKey } from '../../src/cli/cluster-in-use.ts';
import { configSchema } from '../../src/config/schema.ts';
import { paths } from '../../src/config/paths.ts';

describe('clusterKey: one cluster, as runs name it (the memo that finds the open runs on it)', () => {
  const config = (provider: 'sandbox' | 'kind', name: string) => configSchema.parse({ cluster: { provider, name } });

  it('a sandbox is its directory under the data directory; a kind cluster its name', () => {
    assert.equal(clusterKey(config('sandbox', 'ovn')), `sandbox:${paths.dataDir}/sandbox/ovn`);
    assert.equal(clusterKey(config('kind', 'ovn')), 'kind:ovn');
    assert.notEqual(clusterKey(config('sandbox', 'ovn')), clusterKey(config('sandbox', 'other')));
  });
});
