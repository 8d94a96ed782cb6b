import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { binaryCachePath, planBinary, type BinarySpec } from '../../src/host/binaries.ts';
import { loadConfig } from '../../src/config/load.ts';
import type { Check } from '../../src/doctor/check.ts';
import { runChecks } from '../../src/doctor/checks.ts';
import type { Probe } from '../../src/doctor/probe.ts';
import { doctorSummary } from '../../src/doctor/summary.ts';

/** This machine as the tests want it: Go, no Docker engine, everything cached, nothing on the ports. */
function fakeProbe(over: Partial<Probe> = {}): Probe {
  return {
    nodeVersion: '20.20.2',
    engines: async () => '>=20.3',
    dataDir: '/data',
    cacheDir: '/cache',
    kindTools: async () => [
      { name: 'docker engine', found: false, hint: 'failed' },
      { name: 'kind', found: true, version: '0.27.0' },
      { name: 'kubectl', found: true, version: '1.32.4' },
      { name: 'git', found: true },
      { name: 'go', found: true, version: '1.26.8' },
      { name: 'free disk', found: true },
      { name: 'memory', found: true },
    ],
    which: async () => '/usr/bin/docker',
    devServer: async (opts) => ({ state: 'stopped', address: `${opts.host}:${opts.port}`, webUi: '', database: '', log: '' }),
    listening: async () => false,
    freeGiB: async () => 70,
    memoryGiB: () => ({ total: 23, free: 20 }),
    inotify: async () => 1_000_000,
    plan: async (spec) => ({ how: 'found', found: { path: `/cache/${spec.name}`, source: 'cache' } }),
    ...over,
  };
}
const defaults = () => loadConfig(undefined, {});
const byName = (checks: Check[], name: string) => checks.find((c) => c.name === name);

describe('doctor: the checks, probed through an injected probe', () => {
  it('one line each, in reading order', async () => {
    const names = (await runChecks(await defaults(), fakeProbe())).map((c) => c.name);
    assert.deepEqual(names, [
      'node', 'go', 'Docker', 'kind', 'kubectl', 'kind.sh tools',
      'port 7233 (Temporal gRPC)', 'port 8233 (Temporal Web UI)',
      'disk (data dir)', 'disk (cache dir)', 'memory', 'inotify max_user_watches', 'inotify max_user_instances',
      'temporal CLI', 'etcd', 'kube-apiserver', 'kube-controller-manager',
    ]);
  });

  it('both ports are ours while our dev server runs', async () => {
    const checks = await runChecks(await defaults(), fakeProbe({
      devServer: async (opts) => ({ state: 'running', pid: 99, address: `${opts.host}:${opts.port}`, webUi: '', database: '', log: '' }),
      listening: async () => true,
    }));
    assert.equal(byName(checks, 'port 7233 (Temporal gRPC)')?.detail, 'our dev server (pid 99)');
    assert.equal(byName(checks, 'port 8233 (Temporal Web UI)')?.detail, 'our dev server (pid 99)');
  });

  it('a stranger on 7233 fails', async () => {
    const checks = await runChecks(await defaults(), fakeProbe({ devServer: async (opts) => ({ state: 'foreign', address: `${opts.host}:${opts.port}`, webUi: '', database: '', log: '' }) }));
    assert.equal(byName(checks, 'port 7233 (Temporal gRPC)')?.state, 'fail');
  });

  it('a configured Temporal server replaces the ports and the Temporal CLI', async () => {
    const asked: number[] = [];
    const checks = await runChecks(await loadConfig(undefined, { TEMPORAL_ADDRESS: '10.1.1.1:7000' }), fakeProbe({ listening: async (_host, port) => (asked.push(port), false) }));
    assert.deepEqual(asked, [7000]);
    assert.equal(byName(checks, 'Temporal server')?.state, 'fail');
    assert.equal(byName(checks, 'port 7233 (Temporal gRPC)'), undefined);
    assert.equal(byName(checks, 'temporal CLI'), undefined);
  });

  it('the cache dir needs room for Go’s caches only when something is to be built', async () => {
    const tight = { freeGiB: async (dir: string) => (dir === '/cache' ? 5 : 70) };
    const cached = await runChecks(await defaults(), fakeProbe(tight));
    assert.equal(byName(cached, 'disk (cache dir)')?.state, 'ok');
    const building = await runChecks(await defaults(), fakeProbe({ ...tight, plan: async () => ({ how: 'build', go: '/usr/bin/go' }) }));
    assert.equal(byName(building, 'disk (cache dir)')?.state, 'fail');
    assert.match(byName(building, 'disk (cache dir)')!.detail, /building the missing binaries with Go needs about 8 GiB/);
  });

  it('a lookup that throws is a failed line, not a crash', async () => {
    const checks = await runChecks(await defaults(), fakeProbe({
      plan: async (spec) => {
        if (spec.name === 'temporal') throw new Error('TEMPORAL_CLI_PATH=/nope is not an executable file');
        return { how: 'found', found: { path: `/cache/${spec.name}`, source: 'cache' } };
      },
    }));
    assert.deepEqual(byName(checks, 'temporal CLI'), { name: 'temporal CLI', state: 'fail', detail: 'TEMPORAL_CLI_PATH=/nope is not an executable file', neededFor: 'both' });
  });
});

describe('doctor: the summary run prints', () => {
  it('nothing when every binary is at hand', async () => {
    assert.equal(await doctorSummary(await defaults(), fakeProbe()), undefined);
  });
  it('the builds a sandbox run waits for, and the rest that matters', async () => {
    const loaded = await defaults();
    loaded.config.cluster.provider = 'sandbox';
    const probe = fakeProbe({ plan: async (spec) => (spec.name === 'etcd' || spec.name === 'kube-apiserver' ? { how: 'build', go: '/usr/bin/go' } : { how: 'found', found: { path: `/c/${spec.name}`, source: 'cache' } }) });
    assert.equal(await doctorSummary(loaded, probe), 'doctor: etcd, kube-apiserver to be built with Go (~12 min); Docker engine not running (kind unavailable)');
  });
  it('a kind run is not held up by the sandbox’s binaries', async () => {
    const probe = fakeProbe({ plan: async (spec) => (spec.name === 'etcd' ? { how: 'build', go: '/usr/bin/go' } : { how: 'found', found: { path: `/c/${spec.name}`, source: 'cache' } }) });
    assert.equal(await doctorSummary(await defaults(), probe), undefined);
  });
});

describe('planBinary: what locateBinary would do, without doing it', () => {
  const spec: BinarySpec = { name: 'tool', label: 'tool', version: '1.0.0', goArgs: () => ['build'] };
  const download = async () => undefined;
  async function script(path: string, body: string): Promise<void> {
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(path, `#!/bin/sh\n${body}\n`);
    await chmod(path, 0o755);
  }

  it('found in the cache, else a build with Go (which it does not run), else a download, else nothing', async () => {
    const root = await mkdtemp(join(tmpdir(), 'udn-plan-'));
    const binDir = join(root, 'cache');
    const goDir = join(root, 'go');
    const ran = join(root, 'go-ran');
    await script(join(goDir, 'go'), `echo "$@" >> ${ran}`);
    const empty = join(root, 'empty');
    assert.deepEqual(await planBinary(spec, { PATH: goDir }, binDir), { how: 'build', go: join(goDir, 'go') });
    assert.equal(await readFile(ran, 'utf8').catch(() => 'not run'), 'not run');
    assert.deepEqual(await planBinary({ ...spec, download }, { PATH: empty }, binDir), { how: 'download', download });
    assert.deepEqual(await planBinary(spec, { PATH: empty }, binDir), { how: 'none' });
    await script(binaryCachePath(spec, binDir), 'exit 0');
    assert.deepEqual(await planBinary(spec, { PATH: goDir }, binDir), { how: 'found', found: { path: binaryCachePath(spec, binDir), source: 'cache' } });
  });
});
