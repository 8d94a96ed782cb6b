/**
 * Temporal's own cost per step on this machine: NoopSteps (bench/noop-workflow.ts) on a dev
 * server of its own, with activity eager execution on or off, read from the histories
 * (bench/history-parts.ts). The orchestration benchmark compares DemoWorkflow's parts with these.
 *
 * Each activity sleeps ACTIVITY_MS, as long as the demo's shortest: an activity that returns at
 * once completes before the worker polls its sticky queue again, so the next workflow task waits
 * in the queue's backlog (~35 ms here) instead of meeting a waiting poll — a cost the demo never pays.
 */
export const ACTIVITY_MS = 20;
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { dynamicConfigArgs } from '../src/client/dev-server-config.ts';
import { locateTemporalCli } from '../src/client/temporal-binary.ts';
import { activityParts, type ActivityParts } from './history-parts.ts';

export async function temporalFloor(opts: { eager: boolean; steps: number; runs: number }): Promise<ActivityParts[]> {
  const { path } = await locateTemporalCli({ log: () => undefined });
  const env = await TestWorkflowEnvironment.createLocal({ server: { executable: { type: 'existing-path', path }, ip: '127.0.0.1', extraArgs: opts.eager ? dynamicConfigArgs() : [] } });
  try {
    const taskQueue = `floor-${randomUUID()}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath: new URL('./noop-workflow.ts', import.meta.url).pathname,
      activities: { noop: () => sleep(ACTIVITY_MS) },
    });
    return await worker.runUntil(async () => {
      const parts: ActivityParts[] = [];
      // The first run warms the worker up (workflow code loaded, pollers scaled): not measured.
      for (let run = 0; run <= opts.runs; run++) {
        const handle = await env.client.workflow.start('NoopSteps', { taskQueue, workflowId: `floor-${randomUUID()}`, args: [opts.steps] });
        await handle.result();
        if (run > 0) parts.push(...activityParts((await handle.fetchHistory()).events ?? []));
      }
      return parts;
    });
  } finally {
    await env.teardown();
  }
}
