/**
 * Regenerates test/replay/histories/ from real runs of the current workflow code on a real dev
 * server (with fake activities). Run it when a workflow change is meant to break old histories
 * (and guard the change with patched() or a new workflow type if real runs may be in flight).
 *   npm run record-histories
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { runDemoWithFakes, type DemoRunOptions } from '../helpers/demo-harness.ts';
import { startTestServer } from '../helpers/temporal-env.ts';

export const historiesDir = fileURLToPath(new URL('./histories/', import.meta.url));

const SCENARIOS: Record<string, DemoRunOptions> = {
  passing: {},
  retries: { behaviour: { failFirst: { ensureCluster: 2, runProbes: 1 } } },
  failed: { behaviour: { failHard: 'waitReady' } },
  skipped: { behaviour: { notImplemented: ['runProbes', 'startTraffic'] } },
};

/** Replay needs each history's own workflow id; the file name carries it ('/' written as '~'). */
export const fileForWorkflowId = (workflowId: string) => `${workflowId.replaceAll('/', '~')}.json`;
export const workflowIdForFile = (file: string) => file.replace(/\.json$/, '').replaceAll('~', '/');

async function save(env: TestWorkflowEnvironment, workflowId: string): Promise<void> {
  const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
  await writeFile(`${historiesDir}${fileForWorkflowId(workflowId)}`, `${historyToJSON(history)}\n`);
  process.stderr.write(`recorded ${workflowId} (${history.events?.length ?? 0} events)\n`);
}

async function main(): Promise<void> {
  await rm(historiesDir, { recursive: true, force: true });
  await mkdir(historiesDir, { recursive: true });
  const env = await startTestServer();
  try {
    for (const [name, options] of Object.entries(SCENARIOS)) {
      const { workflowId } = await runDemoWithFakes(env, { ...options, workflowId: `demo-${name}` });
      await save(env, workflowId);
      if (name === 'passing') await save(env, `${workflowId}/live-migration`);
    }
  } finally {
    await env.teardown();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
