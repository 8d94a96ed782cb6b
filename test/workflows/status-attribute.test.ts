import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { DemoResult } from '../../src/model/result.ts';
import { STATUS_ATTRIBUTE, type RunPhase } from '../../src/model/status-attribute.ts';
import { serverHasStatusAttribute } from '../../src/client/status-attribute.ts';
import { decideUpdate } from '../../src/workflows/operator-messages.ts';
import { continueUpdate } from '../../src/workflows/presenter.ts';
import { progressQuery } from '../../src/workflows/queries.ts';
import { runDemoWithFakes, testInput } from '../helpers/demo-harness.ts';
import { useTestServer } from '../helpers/temporal-env.ts';

/** Until visibility shows the run in `phase`, found by the query a Web UI user would type. */
async function listedAs(client: Client, handle: WorkflowHandle, phase: RunPhase): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const attr = (await handle.describe()).typedSearchAttributes.get(STATUS_ATTRIBUTE);
    if (attr === phase) {
      const found: string[] = [];
      for await (const wf of client.workflow.list({ query: `UdnDemoStatus = '${phase}'` })) found.push(wf.workflowId);
      if (found.includes(handle.workflowId)) return;
    }
    await sleep(50);
  }
  throw new Error(`run ${handle.workflowId} never listed as ${phase} (now ${String((await handle.describe()).typedSearchAttributes.get(STATUS_ATTRIBUTE))})`);
}

async function progressUntil(handle: WorkflowHandle, done: (p: DemoResult) => boolean): Promise<void> {
  for (let i = 0; i < 300; i++) {
    const p = await handle.query(progressQuery).catch(() => undefined);
    if (p && done(p)) return;
    await sleep(50);
  }
  throw new Error('the run never got there');
}

describe('UdnDemoStatus: the Web UI can find the runs that wait for someone', { timeout: 120_000 }, () => {
  const server = useTestServer();

  it('the server registers it, and a run says waiting-presenter, waiting-operator and passed as it goes', async () => {
    assert.equal(await serverHasStatusAttribute(server.env.client), true);
    let handleOf: WorkflowHandle | undefined;
    const { outcome } = await runDemoWithFakes(server.env, {
      input: testInput({ presenter: true, statusAttribute: true, operator: { decisionTimeoutSeconds: 60 } }),
      behaviour: { stuck: { waitReady: 1 } },
      during: async (handle) => {
        handleOf = handle;
        await listedAs(server.env.client, handle, 'waiting-presenter');
        for (;;) {
          await progressUntil(handle, (p) => p.presenter?.waitingBefore !== undefined || p.awaiting !== undefined);
          const p = await handle.query(progressQuery);
          if (p.awaiting) break;
          await handle.executeUpdate(continueUpdate, { args: [{}] });
        }
        await listedAs(server.env.client, handle, 'waiting-operator');
        await handle.executeUpdate(decideUpdate, { args: [{ action: 'retry' }] });
        // The rest of the talk, one step at a time.
        for (;;) {
          await progressUntil(handle, (p) => p.presenter?.waitingBefore !== undefined || p.status !== 'running');
          const p = await handle.query(progressQuery);
          if (p.status !== 'running') break;
          await handle.executeUpdate(continueUpdate, { args: [{}] }).catch(() => undefined);
        }
      },
    });
    assert.ok(!(outcome instanceof Error), String(outcome));
    assert.equal(outcome.status, 'passed');
    await listedAs(server.env.client, handleOf!, 'passed');
  });

  it('a run whose input does not say the server has it never sets it', async () => {
    let handleOf: WorkflowHandle | undefined;
    const { outcome } = await runDemoWithFakes(server.env, { input: testInput(), during: async (h) => void (handleOf = h) });
    assert.ok(!(outcome instanceof Error), String(outcome));
    assert.equal((await handleOf!.describe()).typedSearchAttributes.get(STATUS_ATTRIBUTE), undefined);
  });
});
