import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Connection } from '@temporalio/client';
import { freePort } from '../../src/host/free-port.ts';
import { startDevServer, stopDevServer, type DevServerOptions } from '../../src/client/dev-server.ts';
import type { DemoResult } from '../../src/model/result.ts';
import { sandboxDown } from '../../src/sandbox/index.ts';
import { progressQuery } from '../../src/workflows/queries.ts';
import { cli } from '../helpers/cli.ts';
import { migrations, recordFigures, sandboxIdentity, seconds, spawnWorker, stopWorker, timeline, type SandboxIdentity, type WorkerProcess } from '../helpers/crash.ts';
import { clientsFor } from '../helpers/sandbox.ts';
import { prng } from '../../bench/captures.ts';

/**
 * Chaos: CHAOS_RUNS runs (default 5) of the demo on one sandbox, each started with
 * `udn-demo run --sandbox --detach` and executed by a separate `udn-demo worker` that is SIGKILLed
 * at random moments (and replaced at once, as a process supervisor would); in some runs the
 * embedded dev server is stopped and started again as well. Random choices come from a seeded RNG
 * (CHAOS_SEED to replay one). Every run must pass with exactly one migration, named after its
 * workflow id; no step's activity is scheduled twice; the sandbox is brought up once for all runs.
 *   npm run test:chaos            (10–20 minutes; not part of npm test)
 */

const RUNS = Number(process.env.CHAOS_RUNS ?? 5);
const SEED = Number(process.env.CHAOS_SEED ?? Math.floor(Math.random() * 2 ** 31));
const MAX_KILLS_PER_RUN = 3;
/** Share of runs that also see a dev-server restart. */
const SERVER_RESTART_SHARE = 0.4;

const say = (line: string) => process.stderr.write(`chaos: ${line}\n`);

describe(`chaos: ${RUNS} runs, worker SIGKILLed at random moments, dev server restarted in some (seed ${SEED})`, { timeout: 3_600_000 }, () => {
  const random = prng(SEED);
  const between = (lo: number, hi: number) => lo + random() * (hi - lo);
  let data: string;
  let dev: DevServerOptions;
  let vars: Record<string, string>;
  let connection: Connection;
  let client: Client;
  let worker: WorkerProcess | undefined;
  let sandbox: SandboxIdentity | undefined;
  const totals = { runs: 0, passed: 0, kills: 0, restarts: 0 };

  before(async () => {
    say(`seed ${SEED} (CHAOS_SEED=${SEED} replays these choices), ${RUNS} runs`);
    data = await mkdtemp(join(tmpdir(), 'udn-chaos-'));
    dev = { host: '127.0.0.1', port: await freePort(), uiPort: await freePort(), namespace: 'default', dir: join(data, 'dev-server') };
    vars = { TEMPORAL_ADDRESS: `${dev.host}:${dev.port}`, UDN_DEMO_DATA_DIR: data };
    await startDevServer(dev, () => undefined);
    connection = await Connection.connect({ address: vars.TEMPORAL_ADDRESS });
    client = new Client({ connection });
    worker = spawnWorker(vars);
    await worker.ready;
  });

  after(async () => {
    await stopWorker(worker);
    await connection?.close();
    await stopDevServer(dev);
    await sandboxDown(join(data, 'sandbox', 'ovn'));
    say(`${totals.passed}/${totals.runs} runs passed; survived ${totals.kills} worker SIGKILLs and ${totals.restarts} dev-server restarts (seed ${SEED})`);
  });

  /** SIGKILL the worker and start its replacement at once; resolves when the new one polls. */
  async function killWorker(): Promise<void> {
    worker!.child.kill('SIGKILL');
    await worker!.exited;
    worker = spawnWorker(vars);
    await worker.ready;
  }

  async function restartServer(): Promise<number> {
    const stop = await cli(['dev-server', 'stop'], vars);
    assert.equal(stop.exitCode, 0, stop.stderr);
    const downAt = Date.now();
    await sleep(between(2_000, 6_000));
    await startDevServer(dev, () => undefined);
    return Date.now() - downAt;
  }

  /** The run's state from the server; undefined while the server cannot say (restarting). */
  async function status(workflowId: string): Promise<string | undefined> {
    return client.workflow.getHandle(workflowId).describe().then((d) => d.status.name, () => undefined);
  }

  for (let i = 1; i <= RUNS; i++) {
    it(`run ${i} of ${RUNS} passes with one migration through its crashes`, { timeout: 900_000 }, async (t) => {
      totals.runs++;
      const workflowId = `chaos-${SEED}-${i}`;
      const kills = 1 + Math.floor(random() * MAX_KILLS_PER_RUN);
      const withRestart = random() < SERVER_RESTART_SHARE;
      const restartAfterKill = withRestart ? Math.floor(random() * kills) : -1;
      const events: string[] = [];
      const startedAt = Date.now();
      const started = await cli(['run', '--sandbox', '--scenario', 'namespace-isolation', '--detach', '--workflow-id', workflowId], vars);
      assert.equal(started.exitCode, 0, started.stderr);
      const handle = client.workflow.getHandle(workflowId);

      let done = false;
      const waitOrDone = async (ms: number) => {
        const until = Date.now() + ms;
        while (Date.now() < until) {
          const s = await status(workflowId);
          if (s !== 'RUNNING' && s !== undefined) return true;
          await sleep(250);
        }
        return false;
      };
      for (let k = 0; k < kills && !done; k++) {
        // A random moment: the first within the run's first half minute, later ones after the new worker polls.
        if ((done = await waitOrDone(between(k === 0 ? 1_000 : 3_000, 30_000)))) break;
        const p = await handle.query(progressQuery).catch(() => undefined);
        const running = p?.steps.find((s) => s.state === 'running')?.id ?? 'between steps';
        await killWorker();
        totals.kills++;
        events.push(`SIGKILL during ${running} at ${seconds(Date.now() - startedAt)}`);
        if (k === restartAfterKill) {
          if ((done = await waitOrDone(between(2_000, 20_000)))) break;
          const q = await handle.query(progressQuery).catch(() => undefined);
          const during = q?.steps.find((s) => s.state === 'running')?.id ?? 'between steps';
          const outage = await restartServer();
          totals.restarts++;
          events.push(`dev server restarted during ${during} at ${seconds(Date.now() - startedAt)} (down ${seconds(outage)})`);
        }
      }
      for (let waited = 0; (await status(workflowId)) !== 'COMPLETED'; waited += 500) {
        const s = await status(workflowId);
        assert.ok(s === 'RUNNING' || s === undefined, `${workflowId} ended ${s}`);
        assert.ok(waited < 800_000, `${workflowId} still running after its crashes`);
        await sleep(500);
      }
      const result = (await handle.result()) as DemoResult;
      const took = Date.now() - startedAt;

      const retried = result.steps.filter((s) => s.attempts > 1).map((s) => `${s.id}×${s.attempts}`);
      t.diagnostic(`${workflowId}: ${result.status} in ${seconds(took)}; ${events.join('; ') || 'no crash landed before the end'}; retried: ${retried.join(', ') || 'none'}`);
      say(`run ${i}: ${result.status} in ${seconds(took)}; ${events.join('; ')}`);
      recordFigures({ test: 'chaos', seed: SEED, run: i, workflowId, status: result.status, ms: took, events, retried });

      assert.equal(result.status, 'passed', JSON.stringify(result.failure ?? result.checks.filter((x) => !x.passed)));
      const mine = (await migrations(clientsFor(join(data, 'sandbox', 'ovn', 'kubeconfig')))).filter((m) => m.name.startsWith(`${workflowId}-`));
      assert.deepEqual(mine.map((m) => `${m.name} ${m.phase}`), [`${workflowId}-live-migration-migration Succeeded`], 'exactly one migration for this run');
      // A step that ran again after a crash would schedule its activities again; retries only raise the attempt.
      const acts = [...(await timeline(handle)).activities, ...(await timeline(client.workflow.getHandle(`${workflowId}/live-migration`))).activities];
      const keys = acts.map((a) => `${a.step}/${a.type}`);
      assert.deepEqual(keys.filter((k, n) => keys.indexOf(k) !== n), [], 'no step scheduled its activity twice');
      assert.ok(acts.every((a) => a.outcome === 'completed'), 'every activity completed');
      const now = await sandboxIdentity(data);
      sandbox ??= now;
      assert.deepEqual(now, { ...sandbox, readyLines: 1 }, 'one sandbox bring-up for all runs');
      totals.passed++;
    });
  }
});
