import assert from 'node:assert/strict';
import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { activityParts } from '../../bench/history-parts.ts';
import { freePort } from '../../src/host/free-port.ts';
import { devServerStatus, startDevServer, stopDevServer, type DevServerOptions } from '../../src/client/dev-server.ts';
import { isListening } from '../../src/host/tcp-probe.ts';
import { identify } from '../../src/host/process-identity.ts';
import { isAlive } from '../../src/host/processes.ts';
import { runDemoOnClient } from '../helpers/demo-harness.ts';
import { endGroup, spawnStranger } from '../host/strangers.ts';

const quiet = () => undefined;

describe('embedded dev server: start, Web UI, persistence, stop', { timeout: 180_000 }, () => {
  let opts: DevServerOptions;
  /** The run of the Web UI test, for the eager-execution test after it. */
  let history: temporal.api.history.v1.IHistory | undefined;
  before(async () => {
    opts = { host: '127.0.0.1', port: await freePort(), uiPort: await freePort(), namespace: 'default', dir: await mkdtemp(join(tmpdir(), 'udn-devserver-')) };
  });
  after(async () => {
    await stopDevServer(opts);
    await rm(opts.dir, { recursive: true, force: true });
  });

  it('starts detached, serves gRPC and the Web UI, and reports running', async () => {
    const status = await startDevServer(opts, quiet);
    assert.equal(status.state, 'running');
    assert.ok(status.pid);
    const page = await fetch(`http://127.0.0.1:${opts.uiPort}/`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<html/i);
    const again = await startDevServer(opts, quiet);
    assert.equal(again.pid, status.pid, 'a second start reuses the running server');
  });

  it("shows a run's steps as activity summaries through the Web UI's API", async () => {
    const connection = await Connection.connect({ address: `127.0.0.1:${opts.port}` });
    const client = new Client({ connection });
    const { workflowId, outcome } = await runDemoOnClient(client, `127.0.0.1:${opts.port}`);
    assert.ok(!(outcome instanceof Error), String(outcome));
    history = await client.workflow.getHandle(workflowId).fetchHistory();
    await connection.close();
    const res = await fetch(`http://127.0.0.1:${opts.uiPort}/api/v1/namespaces/default/workflows/${encodeURIComponent(workflowId)}/history`);
    assert.equal(res.status, 200);
    const body = (await res.json()) as { history: { events: { eventType: string; userMetadata?: { summary?: { data: string } } }[] } };
    const summaries = body.history.events
      .filter((e) => e.eventType === 'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED')
      .map((e) => JSON.parse(Buffer.from(e.userMetadata?.summary?.data ?? '', 'base64').toString()) as string);
    assert.ok(summaries.length >= 16, `expected a summary per activity, got ${summaries.length}`);
    assert.ok(summaries.includes('preflight: tools for sandbox'), summaries.join('\n'));
    assert.ok(summaries.some((s) => s.startsWith('wait-green-ready: wait for green/namespace-scoped')), summaries.join('\n'));
    assert.ok(summaries.some((s) => s.startsWith('report: ')));
  });

  it('starts activities eagerly: the worker that schedules one gets it in the reply, with no poll through matching', () => {
    // Eagerly, the server records the start in the same request that schedules it (tens of µs
    // apart); through matching it is a poll's round trip later (2 ms and more here).
    const dispatch = activityParts(history?.events ?? []).map((a) => a.dispatchMs).sort((a, b) => a - b);
    assert.ok(dispatch.length >= 16, `the run's activities: ${dispatch.length}`);
    assert.ok(dispatch[dispatch.length >> 1]! < 1, `scheduled → started, ms: ${dispatch.map((d) => d.toFixed(2)).join(' ')}`);
  });

  it('keeps recorded runs across a restart (SQLite file), and stop leaves nothing running', async () => {
    const before = await devServerStatus(opts);
    assert.equal(await stopDevServer(opts), 'stopped');
    assert.equal(await isListening('127.0.0.1', opts.port), false);
    assert.throws(() => process.kill(before.pid!, 0), 'the server process is gone');
    assert.equal((await devServerStatus(opts)).state, 'stopped');
    await startDevServer(opts, quiet);
    const connection = await Connection.connect({ address: `127.0.0.1:${opts.port}` });
    const client = new Client({ connection });
    const runs = [];
    for await (const wf of client.workflow.list({ query: `WorkflowType = 'DemoWorkflow'` })) runs.push(wf.workflowId);
    await connection.close();
    assert.equal(runs.length, 1, 'the run recorded before the restart is still there');
    assert.equal(await stopDevServer(opts), 'stopped');
    assert.equal(await stopDevServer(opts), 'not-running');
  });
});

describe('dev server pidfile: a pid now held by another process is never signalled', () => {
  let opts: DevServerOptions;
  let stranger: ReturnType<typeof spawnStranger>;
  before(async () => {
    opts = { host: '127.0.0.1', port: await freePort(), uiPort: await freePort(), namespace: 'default', dir: await mkdtemp(join(tmpdir(), 'udn-devserver-')) };
  });
  after(() => rm(opts.dir, { recursive: true, force: true }));
  beforeEach(() => {
    stranger = spawnStranger();
  });
  afterEach(() => endGroup(stranger.pid));

  const pidfile = () => join(opts.dir, 'temporal.pid.json');
  const record = (identity: object) => writeFile(pidfile(), JSON.stringify({ ...identity, port: opts.port, uiPort: opts.uiPort, binary: 'temporal', startedAt: new Date().toISOString() }));

  it('stop leaves a live process whose start time differs alone, says the record was stale, and removes it', async () => {
    const real = identify(stranger.pid)!;
    await record({ ...real, startTicks: real.startTicks + 1 });
    assert.notEqual((await devServerStatus(opts)).pid, stranger.pid, 'status does not take it for the server');
    const lines: string[] = [];
    assert.equal(await stopDevServer(opts, (l) => lines.push(l)), 'stale');
    assert.ok(isAlive(stranger.pid), 'the stranger was not signalled');
    assert.match(lines.join('\n'), new RegExp(`temporal.pid.json is stale: pid ${stranger.pid} is now another process .*not signalled`));
    await assert.rejects(access(pidfile()), 'the stale record is removed');
  });

  it('stop leaves the pid of a record without identity (an older udn-demo) alone, and says why', async () => {
    await record({ pid: stranger.pid });
    const lines: string[] = [];
    assert.equal(await stopDevServer(opts, (l) => lines.push(l)), 'stale');
    assert.ok(isAlive(stranger.pid), 'the stranger was not signalled');
    assert.match(lines.join('\n'), new RegExp(`pid ${stranger.pid} was recorded without its start time \\(by an older udn-demo\\)`));
  });
});
