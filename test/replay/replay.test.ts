import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { DeterminismViolationError } from '@temporalio/workflow';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { bundleWorkflowCode, Worker, type ReplayWorkerOptions } from '@temporalio/worker';
import { demoBundle } from '../helpers/demo-harness.ts';
import { historiesDir, workflowIdForFile } from './record-histories.ts';


async function histories() {
  const files = (await readdir(historiesDir)).filter((f) => f.endsWith('.json')).sort();
  return Promise.all(
    files.map(async (file) => ({ workflowId: workflowIdForFile(file), history: historyFromJSON(JSON.parse(await readFile(`${historiesDir}${file}`, 'utf8'))) })),
  );
}

async function replayAll(options: ReplayWorkerOptions) {
  const results = [];
  for await (const r of Worker.runReplayHistories(options, await histories())) results.push(r);
  return results;
}

describe('replay of committed histories', { timeout: 120_000 }, () => {
  it('replays every recorded run (passing, retries, failed, skipped checks, child; operator decisions and a cancellation; tenants) with the current workflow code', async () => {
    const results = await replayAll({ workflowBundle: await demoBundle() });
    assert.ok(results.length >= 12, `expected at least 12 histories, found ${results.length}`);
    for (const r of results) assert.equal(r.error, undefined, `${r.workflowId}: ${r.error}`);
  });

  it('catches a non-deterministic change: the same steps in another order fail to replay', async () => {
    const workflowBundle = await bundleWorkflowCode({
      workflowsPath: fileURLToPath(new URL('./reordered-workflows.ts', import.meta.url)),
      logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error } as never,
    });
    const results = await replayAll({ workflowBundle });
    // These runs stopped before the reordered steps, so they must still replay cleanly.
    const stoppedEarly = ['demo-failed', 'demo-operated-cancelled', 'demo-cluster-busy'];
    const demo = results.filter((r) => r.workflowId.startsWith('demo-') && !r.workflowId.includes('/') && !stoppedEarly.includes(r.workflowId));
    assert.ok(demo.length >= 5);
    for (const r of demo) assert.ok(r.error instanceof DeterminismViolationError, `${r.workflowId} replayed without a determinism error: ${r.error}`);
    for (const id of stoppedEarly) assert.equal(results.find((r) => r.workflowId === id)?.error, undefined, id);
  });
});
