import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { access, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { kindPaths, kindProvider } from '../../src/cluster/providers/kind/index.ts';
import { configSchema } from '../../src/config/schema.ts';
import { fakeTools, processRunning, type FakeTools, type FakeToolsOptions } from '../helpers/fake-tools.ts';
import { until, within } from '../helpers/timing.ts';

const KIND = configSchema.parse({}).cluster.kind;

const made: FakeTools[] = [];
after(async () => {
  for (const f of made) await f.cleanup();
});

async function setup(opts: FakeToolsOptions = {}) {
  const f = await fakeTools(opts);
  made.push(f);
  const dataDir = join(f.root, 'data');
  await mkdir(dataDir);
  const provider = (env: NodeJS.ProcessEnv = f.env) => kindProvider(KIND, { env, dataDir, problems: async () => [] });
  return { f, dataDir, provider };
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

describe('kind provider: cancellation stops kind.sh', () => {
  it('an abort during kind.sh kills its whole process group at once and rejects with the abort reason', { timeout: 30_000 }, async () => {
    const { f, dataDir, provider } = await setup({ kindShSleep: 60 });
    const abort = new AbortController();
    const ensuring = provider().ensure('ovn', () => undefined, abort.signal);
    const run = await until('kind.sh to start', async () => (await f.kindShRuns())[0]);
    const child = run.child!;
    assert.ok(processRunning(run.pid) && processRunning(child), 'kind.sh waits on its child');

    const reason = new Error('cancelled by the test');
    const cancelledAt = Date.now();
    abort.abort(reason);

    await assert.rejects(within(5_000, ensuring), (err) => err === reason);
    await until('kind.sh and its child to be gone', () => (processRunning(run.pid) || processRunning(child) ? undefined : true), 5_000);
    assert.ok(Date.now() - cancelledAt < 5_000, `gone ${Date.now() - cancelledAt} ms after the cancel`);
    assert.equal(await exists(kindPaths(dataDir, 'ovn').pidFile), false, 'no record of a group that is gone');
    assert.deepEqual(await f.clusters(), [], 'kind.sh did not get as far as the cluster');
  });

  it('after a worker is SIGKILLed during kind.sh, the next ensure stops the orphan before its own kind.sh starts', { timeout: 60_000 }, async () => {
    const { f, dataDir, provider } = await setup();
    const script = fileURLToPath(new URL('./ensure-in-child.ts', import.meta.url));
    const config = JSON.stringify({ env: { ...f.env, FAKE_KINDSH_SLEEP: '60' }, dataDir, clusterName: 'ovn' });
    const worker = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), script, config], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    worker.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const first = await until(`the first kind.sh to start (worker stderr: ${stderr})`, async () => (await f.kindShRuns())[0], 30_000);
    const firstChild = first.child!;

    worker.kill('SIGKILL');
    await once(worker, 'exit');
    assert.ok(processRunning(first.pid) && processRunning(firstChild), 'the orphaned kind.sh and its child go on, as after a real crash');

    const progress: string[] = [];
    await within(30_000, provider({ ...f.env, FAKE_KINDSH_SLEEP: '0' }).ensure('ovn', (line) => progress.push(line)));

    const runs = await f.kindShRuns();
    assert.equal(runs.length, 2, 'one more kind.sh ran');
    assert.deepEqual(runs[1]!.overlapping, [], `the second kind.sh started while processes ${runs[1]!.overlapping.join(', ')} of the first still ran`);
    assert.equal(processRunning(first.pid) || processRunning(firstChild), false, 'the orphan is gone');
    assert.ok(
      progress.some((l) => l.includes(`stopped contrib/kind.sh (process group ${first.pid}) left running by an earlier attempt`)),
      JSON.stringify(progress),
    );
    assert.deepEqual(await f.clusters(), ['ovn']);
    assert.equal(await exists(kindPaths(dataDir, 'ovn').pidFile), false);
  });
});

describe('kind provider: one ensure at a time on this machine', () => {
  it('a second ensure of the same cluster waits for the first (a file lock), says for whom, then reuses what the first made', { timeout: 60_000 }, async () => {
    const { f, provider } = await setup();
    const first = provider({ ...f.env, FAKE_KINDSH_SLEEP: '3' }).ensure('ovn', () => undefined);
    await until('the first kind.sh to start', async () => (await f.kindShRuns())[0]);
    const progress: string[] = [];
    const second = provider().ensure('ovn', (line) => progress.push(line));
    await within(30_000, Promise.all([first, second]));
    const runs = await f.kindShRuns();
    assert.equal(runs.length, 1, 'the second ensure found the cluster the first made: one kind.sh in all');
    assert.ok(progress.some((l) => /^waiting for another udn-demo \(pid \d+\), creating or checking kind cluster ovn, to finish$/.test(l)), JSON.stringify(progress));
    assert.ok(progress.some((l) => l.startsWith('decision: reuse kind cluster ovn')), JSON.stringify(progress));
  });
});

describe('kind provider: remove while kind.sh runs', () => {
  it('stops kind.sh and its child first (it would make the cluster again) and says so', { timeout: 30_000 }, async () => {
    const { f, provider } = await setup({ kindShSleep: 60 });
    const ensuring = provider().ensure('ovn', () => undefined);
    ensuring.catch(() => undefined);
    const run = await until('kind.sh to start', async () => (await f.kindShRuns())[0]);

    const removed = await within(15_000, provider().remove('ovn'));

    assert.ok(removed.includes(`contrib/kind.sh still running (process group ${run.pid})`), JSON.stringify(removed));
    assert.equal(processRunning(run.pid) || processRunning(run.child!), false);
    await assert.rejects(ensuring, /contrib\/kind\.sh exited/);
    assert.deepEqual(await f.clusters(), []);
  });
});

describe('kind provider: third-party tools get no TEMPORAL_* variables', () => {
  it('kind.sh, kind, git, docker, pip and go run without them, from the provider env or from process.env', async () => {
    process.env.TEMPORAL_API_KEY = 'the-worker-s-api-key';
    try {
      const { f, provider } = await setup();
      const p = provider({ ...f.env, TEMPORAL_API_KEY: 'an-api-key', TEMPORAL_ADDRESS: 'temporal.example:7233' });
      await p.preflight('ovn');
      await p.ensure('ovn', () => undefined);
      await p.remove('ovn');

      const calls = await f.calls();
      const ran = new Set(calls.map((c) => c.name));
      for (const name of ['kind.sh', 'kind', 'git', 'docker', 'python3', 'go']) assert.ok(ran.has(name), `${name} ran`);
      for (const c of calls) assert.deepEqual(c.temporalVars, [], `${c.name} ${c.argv.join(' ')} was given ${c.temporalVars.join(', ')}`);
    } finally {
      delete process.env.TEMPORAL_API_KEY;
    }
  });
});
