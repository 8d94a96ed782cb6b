import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { Worker } from '@temporalio/worker';

describe('cached workflow bundle', { timeout: 120_000 }, () => {
  it('bundles the workflow code once per version of the sources, serves the file after that, and removes bundles a day old', async () => {
    process.env.UDN_DEMO_CACHE_DIR = await mkdtemp(join(tmpdir(), 'udn-bundle-'));
    // paths.ts reads the cache directory at import: import after setting it.
    const [{ cachedWorkflowBundle }, { workflowsPath }] = await Promise.all([import('../../src/workflow-bundle.ts'), import('../../src/worker.ts')]);
    const dir = join(process.env.UDN_DEMO_CACHE_DIR, 'workflow-bundles');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'stale0000.js'), '// an older version of the sources, two days old');
    const twoDaysAgo = new Date(Date.now() - 48 * 3600_000);
    await utimes(join(dir, 'stale0000.js'), twoDaysAgo, twoDaysAgo);
    await writeFile(join(dir, 'other0000.js'), '// another checkout, bundled just now');

    const first = await cachedWorkflowBundle(workflowsPath);
    const code = await readFile(first.codePath, 'utf8');
    for (const type of ['DemoWorkflow', 'LiveMigrationWorkflow', 'TenantsWorkflow', 'TenantWorkflow', 'TenantIsolationWorkflow']) assert.match(code, new RegExp(`\\b${type}\\b`));
    assert.deepEqual((await readdir(dir)).sort(), [first.codePath.split('/').at(-1), 'other0000.js'].sort(), "the stale bundle is gone, another checkout's fresh one stays, no partial file is left");

    const written = (await stat(first.codePath)).mtimeMs;
    const second = await cachedWorkflowBundle(workflowsPath);
    assert.equal(second.codePath, first.codePath);
    assert.equal((await stat(second.codePath)).mtimeMs, written, 'served from the cache, not bundled again');

    // The file is the workflow code a worker runs: recorded runs replay from it.
    const [{ installRuntime }, { fileForWorkflowId, historiesDir }] = await Promise.all([import('../../src/worker.ts'), import('../replay/record-histories.ts')]);
    const { TEST_SDK_LOG } = await import('../helpers/temporal-env.ts');
    installRuntime(TEST_SDK_LOG);
    for (const workflowId of ['demo-passing', 'tenants-passing']) {
      const history = historyFromJSON(JSON.parse(await readFile(`${historiesDir}${fileForWorkflowId(workflowId)}`, 'utf8')));
      await Worker.runReplayHistory({ workflowBundle: second }, history, workflowId);
    }
  });
});
