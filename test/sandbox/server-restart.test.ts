import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { execa } from 'execa';
import { freePort } from '../../src/host/free-port.ts';
import { fileURLToPath } from 'node:url';
import { startDevServer, stopDevServer, type DevServerOptions } from '../../src/client/dev-server.ts';
import { isListening } from '../../src/host/tcp-probe.ts';
import type { StepId } from '../../src/scenarios/index.ts';
import type { DemoResult } from '../../src/model/result.ts';
import { sandboxDown } from '../../src/sandbox/index.ts';
import { progressQuery } from '../../src/workflows/queries.ts';
import { cli } from '../helpers/cli.ts';
import { migrations, recordFigures, seconds, spawnWorker, stopWorker, timeline, type WorkerProcess } from '../helpers/crash.ts';
import { clientsFor } from '../helpers/sandbox.ts';

/**
 * The embedded Temporal dev server (SQLite in its data dir, on ports of its own) is stopped with
 * `udn-demo dev-server stop` in the middle of a sandbox run and started again a few seconds later
 * with the same database and ports. The run, its worker and the CLI following it ride out the
 * outage: the run passes with one migration. Two ways people run it: `udn-demo run` (worker and
 * follower in one process), and `run --detach` with a separate `udn-demo worker`.
 */

const bin = fileURLToPath(new URL('../../bin/udn-demo.js', import.meta.url));
/**
 * How long the server stays down after the stop; $UDN_TEST_OUTAGE_MS tries longer outages. From
 * about 20 s of closed port on, `udn-demo run` gives up ("ended without a result", exit 3) while
 * the run goes on: its wait for the result does not outlast the client's gRPC retries (reported).
 */
const OUTAGE_MS = Number(process.env.UDN_TEST_OUTAGE_MS ?? 5_000);

describe('the Temporal dev server restarts in the middle of a run', { timeout: 600_000 }, () => {
  let data: string;
  let dev: DevServerOptions;
  let vars: Record<string, string>;
  let connection: Connection | undefined;
  let client: Client;
  let worker: WorkerProcess | undefined;
  const quiet = () => undefined;
  /** A case that failed midway must not leave its run open for the next case's worker to pick up. */
  const closeRun = (workflowId: string) => client.workflow.getHandle(workflowId).terminate('test over').catch(() => undefined);

  before(async () => {
    data = await mkdtemp(join(tmpdir(), 'udn-restart-'));
    // Never 7233/8233: a developer's own server may be there. `udn-demo dev-server start` cannot
    // be told other ports (it always uses 7233/8233), so the server starts through the function it
    // calls; the directory is the one `udn-demo dev-server` uses for this data dir, so the CLI's
    // `dev-server stop` finds it by its pidfile.
    dev = { host: '127.0.0.1', port: await freePort(), uiPort: await freePort(), namespace: 'default', dir: join(data, 'dev-server') };
    vars = { TEMPORAL_ADDRESS: `${dev.host}:${dev.port}`, UDN_DEMO_DATA_DIR: data };
    await startDevServer(dev, quiet);
    connection = await Connection.connect({ address: vars.TEMPORAL_ADDRESS });
    client = new Client({ connection });
  });
  after(async () => {
    await stopWorker(worker);
    await connection?.close();
    await stopDevServer(dev);
    await sandboxDown(join(data, 'sandbox', 'ovn'));
  });

  /** Waits for `step` to run, stops the server with the CLI, waits, starts it again; returns the timings. */
  async function outageDuring(handle: WorkflowHandle, step: StepId, also: () => Promise<boolean> = async () => true) {
    for (let i = 0; ; i++) {
      assert.ok(i < 2400, `${step} did not start running`);
      const p = await handle.query(progressQuery).catch(() => undefined);
      if (p?.steps.find((s) => s.id === step)?.state === 'running' && (await also().catch(() => false))) break;
      await sleep(100);
    }
    const stopAt = Date.now();
    // When the port closes, as clients see it: the stop itself may take seconds (a grace, then SIGKILL).
    let closedAt: number | undefined;
    const watching = (async () => {
      while (closedAt === undefined && Date.now() - stopAt < 30_000) {
        if (!(await isListening(dev.host, dev.port))) closedAt = Date.now();
        else await sleep(50);
      }
    })();
    const stop = await cli(['dev-server', 'stop'], vars);
    const stoppedAt = Date.now();
    await watching;
    assert.equal(stop.exitCode, 0, stop.stderr);
    assert.match(stop.stderr + stop.stdout, /temporal dev server: stopped/);
    assert.equal(await isListening(dev.host, dev.port), false, 'the server is down');
    await sleep(OUTAGE_MS);
    const restartAt = Date.now();
    const status = await startDevServer(dev, quiet);
    assert.equal(status.state, 'running');
    const upAt = Date.now();
    return { stopAt, stopMs: stoppedAt - stopAt, unavailableMs: upAt - (closedAt ?? stoppedAt), startMs: upAt - restartAt, upAt };
  }

  async function verify(t: TestContext, mode: string, workflowId: string, step: StepId, result: DemoResult, o: Awaited<ReturnType<typeof outageDuring>>) {
    assert.equal(result.status, 'passed', JSON.stringify(result.failure ?? result.checks.filter((x) => !x.passed)));
    assert.deepEqual(
      result.steps.filter((s) => s.state !== 'succeeded').map((s) => `${s.id} ${s.state}`),
      [],
    );
    const mine = (await migrations(clientsFor(join(data, 'sandbox', 'ovn', 'kubeconfig')))).filter((m) => m.name.startsWith(`${workflowId}-`));
    assert.deepEqual(mine.map((m) => `${m.name} ${m.phase}`), [`${workflowId}-live-migration-migration Succeeded`], 'one migration for this run');
    assert.notEqual(result.migration?.targetNode, result.migration?.sourceNode);
    const handle = client.workflow.getHandle(workflowId);
    const acts = [...(await timeline(handle)).activities, ...(await timeline(client.workflow.getHandle(`${workflowId}/live-migration`))).activities];
    const stepDone = Math.max(...acts.filter((a) => a.step === step).map((a) => a.endedAt!));
    const figures = {
      test: 'server-restart',
      mode,
      interruptedStep: step,
      stepAttempts: result.steps.find((s) => s.id === step)!.attempts,
      retried: result.steps.filter((s) => s.attempts > 1).map((s) => `${s.id}×${s.attempts}`),
      stopMs: o.stopMs,
      unavailableMs: o.unavailableMs,
      startMs: o.startMs,
      stepDoneAfterRestartMs: stepDone - o.upAt,
    };
    t.diagnostic(
      `${mode}: \`dev-server stop\` took ${seconds(o.stopMs)}, port closed for ${seconds(o.unavailableMs)} (start ${seconds(o.startMs)}); ${step} done ${seconds(figures.stepDoneAfterRestartMs)} after the restart; ` +
        `retried steps: ${figures.retried.join(', ') || 'none'}`,
    );
    recordFigures(figures);
  }

  it('`udn-demo run` (its worker in the same process) rides out a restart during wait-green-ready and passes', async (t) => {
    const workflowId = 'restart-run-inprocess';
    const run = execa(process.execPath, [bin, 'run', '--sandbox', '--json', '--workflow-id', workflowId], { env: vars, reject: false, stdin: 'ignore', timeout: 400_000 });
    try {
      const handle = client.workflow.getHandle(workflowId);
      await waitStarted(handle);
      const o = await outageDuring(handle, 'wait-green-ready');
      const r = await run;
      assert.equal(r.exitCode, 0, `run exited ${r.exitCode}:\n${r.stderr}`);
      // Exactly one JSON document on stdout, even though the SDK's client complained while the
      // server was down (its core log goes through our logger, to stderr).
      const result = JSON.parse(String(r.stdout)) as DemoResult;
      await verify(t, 'run (in-process worker)', workflowId, 'wait-green-ready', result, o);
    } finally {
      run.kill('SIGKILL');
      await run;
      await closeRun(workflowId);
    }
  });

  it('`run --detach` and a separate `udn-demo worker` ride out a restart during live-migration and pass', async (t) => {
    const workflowId = 'restart-run-detached';
    try {
      worker = spawnWorker(vars);
      await worker.ready;
      const started = await cli(['run', '--sandbox', '--scenario', 'namespace-isolation', '--detach', '--workflow-id', workflowId], vars);
      assert.equal(started.exitCode, 0, started.stderr);
      const handle = client.workflow.getHandle(workflowId);
      const c = () => clientsFor(join(data, 'sandbox', 'ovn', 'kubeconfig'));
      const o = await outageDuring(handle, 'live-migration', async () => (await migrations(c())).some((m) => m.name.startsWith(`${workflowId}-`)));
      const result = (await handle.result()) as DemoResult;
      assert.ok(worker.child.exitCode === null && worker.child.signalCode === null, `the worker is still running:\n${worker.stderr()}`);
      await verify(t, 'run --detach + worker', workflowId, 'live-migration', result, o);
    } finally {
      await closeRun(workflowId);
      await stopWorker(worker);
    }
  });
});

async function waitStarted(handle: WorkflowHandle): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await handle.describe().then(() => true, () => false)) return;
    await sleep(100);
  }
  throw new Error(`${handle.workflowId} was not started`);
}
