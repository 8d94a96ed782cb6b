/**
 * Records test/replay/histories/ from real runs of the workflow code on a real dev server (with
 * fake activities). Histories already there are kept: they are runs of older code that the
 * current code must still replay. Only missing scenarios are recorded; `--all` re-records every
 * one (only when a change is meant to break old histories, and real runs cannot be in flight).
 *   npm run record-histories [-- --all]
 */
import { access, mkdir, rm, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { WorkflowHandle } from '@temporalio/client';
import { fileURLToPath } from 'node:url';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { decideUpdate } from '../../src/workflows/operator-messages.ts';
import { progressQuery } from '../../src/workflows/queries.ts';
import { NARRATIVE_ORDER } from '../../src/workflows/demo-workflow.ts';
import { continueUpdate } from '../../src/workflows/presenter.ts';
import { runDemoWithFakes, tenantsInput, testInput, type DemoRunOptions } from '../helpers/demo-harness.ts';
import { startTestServer } from '../helpers/temporal-env.ts';

export const historiesDir = fileURLToPath(new URL('./histories/', import.meta.url));

const operated = testInput({ operator: { decisionTimeoutSeconds: 600 } });

async function untilWaiting(handle: WorkflowHandle, decisions: number): Promise<void> {
  for (;;) {
    const p = await handle.query(progressQuery).catch(() => undefined);
    if (p?.awaiting && (p.decisions?.length ?? 0) === decisions) return;
    await sleep(50);
  }
}

/** The first four were recorded before operator decisions (patch `operator-decisions`) existed. */
const SCENARIOS: Record<string, DemoRunOptions> = {
  passing: {},
  retries: { behaviour: { failFirst: { ensureCluster: 2, runProbes: 1 } } },
  failed: { behaviour: { failHard: 'waitReady' } },
  skipped: { behaviour: { notImplemented: ['runProbes', 'startTraffic'] } },
  'operated-passing': { input: operated },
  'operated-decisions': {
    input: operated,
    behaviour: { stuck: { waitReady: 1, runProbes: 1 } },
    during: async (handle) => {
      await untilWaiting(handle, 0);
      await handle.executeUpdate(decideUpdate, { args: [{ action: 'retry' }] });
      await untilWaiting(handle, 1);
      await handle.executeUpdate(decideUpdate, { args: [{ action: 'skip' }] });
    },
  },
  // The whole talk: both scenarios in one run (recorded when the second one came).
  'whole-talk': { input: testInput({ operator: { decisionTimeoutSeconds: 600 }, scenarios: ['namespace-isolation', 'cluster-wide'] }) },
  // One run per cluster (patch `cluster-lease`): claimed before the first apply, let go at the end; and refused.
  'held-cluster': { input: operated },
  'cluster-busy': { input: operated, behaviour: { clusterBusy: true } },
  // Presenter mode: a `continue` before every step.
  presented: {
    input: testInput({ operator: { decisionTimeoutSeconds: 600 }, presenter: true }),
    during: async (handle) => {
      for (let released = 0; released < NARRATIVE_ORDER.length; ) {
        const p = await handle.query(progressQuery).catch(() => undefined);
        if (p?.presenter?.waitingBefore) {
          await handle.executeUpdate(continueUpdate, { args: [{}] });
          released++;
        } else await sleep(50);
      }
    },
  },
  'operated-cancelled': {
    input: operated,
    behaviour: { stuck: { waitReady: 99 } },
    during: async (handle) => {
      await untilWaiting(handle, 0);
      await handle.cancel();
    },
  },
};

/** Replay needs each history's own workflow id; the file name carries it ('/' written as '~'). */
export const fileForWorkflowId = (workflowId: string) => `${workflowId.replaceAll('/', '~')}.json`;
export const workflowIdForFile = (file: string) => file.replace(/\.json$/, '').replaceAll('~', '/');

async function save(env: TestWorkflowEnvironment, workflowId: string): Promise<void> {
  const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
  await writeFile(`${historiesDir}${fileForWorkflowId(workflowId)}`, `${historyToJSON(history)}\n`);
  process.stderr.write(`recorded ${workflowId} (${history.events?.length ?? 0} events)\n`);
}

const exists = (path: string) => access(path).then(() => true, () => false);

async function main(): Promise<void> {
  if (process.argv.includes('--all')) await rm(historiesDir, { recursive: true, force: true });
  await mkdir(historiesDir, { recursive: true });
  const env = await startTestServer();
  try {
    for (const [name, options] of Object.entries(SCENARIOS)) {
      if (await exists(`${historiesDir}${fileForWorkflowId(`demo-${name}`)}`)) continue;
      const { workflowId } = await runDemoWithFakes(env, { ...options, workflowId: `demo-${name}` });
      await save(env, workflowId);
      if (name === 'passing') await save(env, `${workflowId}/live-migration`);
    }
    // TenantsWorkflow (`udn-demo tenants`): the parent and one tenant's two children.
    if (!(await exists(`${historiesDir}${fileForWorkflowId('tenants-passing')}`))) {
      const { workflowId } = await runDemoWithFakes(env, { workflowId: 'tenants-passing', workflow: { type: 'TenantsWorkflow', input: tenantsInput(3, 2) } });
      await save(env, workflowId);
      await save(env, `${workflowId}/tenant/tenant-01`);
      await save(env, `${workflowId}/isolation/tenant-01`);
    }
    // …and with the cluster held (patch `cluster-lease`).
    if (!(await exists(`${historiesDir}${fileForWorkflowId('tenants-held')}`))) {
      await save(env, (await runDemoWithFakes(env, { workflowId: 'tenants-held', workflow: { type: 'TenantsWorkflow', input: tenantsInput(2, 2) } })).workflowId);
    }
  } finally {
    await env.teardown();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
