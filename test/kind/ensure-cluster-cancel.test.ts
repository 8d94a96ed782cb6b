import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { EnsureClusterRequest } from '../../src/model/activities.ts';
import { fakeTools, processRunning } from '../helpers/fake-tools.ts';
import { until, within } from '../helpers/timing.ts';

// The activity builds its provider from the process (environment, data dir read at import): the
// fakes go into process.env before the activity module is loaded.
const f = await fakeTools({ kindShSleep: 60 });
Object.assign(process.env, f.env, { UDN_DEMO_DATA_DIR: join(f.root, 'data') });
const { ensureCluster } = await import('../../src/activities/cluster.ts');

after(() => f.cleanup());

describe('ensureCluster activity: a cancel from the server', () => {
  it('kills kind.sh and its child, and ends the activity with the CancelledFailure', { timeout: 30_000 }, async () => {
    const env = new MockActivityEnvironment();
    const req: EnsureClusterRequest = { provider: 'kind', clusterName: 'ovn' };
    const running = env.run(ensureCluster, req);
    const run = await until('kind.sh to start', async () => (await f.kindShRuns())[0]);

    env.cancel();

    await assert.rejects(within(5_000, running), CancelledFailure);
    await until('kind.sh and its child to be gone', () => (processRunning(run.pid) || processRunning(run.child!) ? undefined : true), 5_000);
  });
});
