import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildMinutes } from '../../src/doctor/build-minutes.ts';
import { classifyBinary } from '../../src/doctor/classify-binary.ts';
import { classifyDisk, classifyInotify, classifyMemory, classifyNode } from '../../src/doctor/classify-host.ts';
import { classifyDocker, classifyGo, classifyKindTools } from '../../src/doctor/classify-kind.ts';
import { classifyConfiguredServer, classifyPort } from '../../src/doctor/classify-ports.ts';

const etcd = { name: 'etcd', label: 'etcd' };
const noDownload = async () => undefined;

describe('doctor: inotify limits', () => {
  it('warns for kind under 524288 watches and 512 instances, and is ok at them', () => {
    assert.deepEqual(
      [classifyInotify('max_user_watches', 524287).state, classifyInotify('max_user_watches', 524288).state, classifyInotify('max_user_instances', 128).state, classifyInotify('max_user_instances', 512).state],
      ['warn', 'ok', 'warn', 'ok'],
    );
    const low = classifyInotify('max_user_instances', 128);
    assert.equal(low.neededFor, 'kind');
    assert.match(low.detail, /^128, under 512: .*sudo sysctl fs\.inotify\.max_user_instances=512/);
  });
  it('warns when the limit cannot be read', () => {
    assert.match(classifyInotify('max_user_watches', undefined).detail, /cannot read \/proc\/sys\/fs\/inotify\/max_user_watches/);
  });
});

describe('doctor: the dev server ports', () => {
  it('free, ours (with its pid), or another program’s, which stops every run', () => {
    assert.deepEqual(classifyPort(7233, 'gRPC', { listening: false }), { name: 'port 7233 (Temporal gRPC)', state: 'ok', detail: 'free', neededFor: 'both' });
    assert.equal(classifyPort(7233, 'gRPC', { listening: true, ourPid: 42 }).detail, 'our dev server (pid 42)');
    const theirs = classifyPort(7233, 'gRPC', { listening: true, staleRecord: '/x/temporal.pid.json is stale: pid 42 is now another process' });
    assert.equal(theirs.state, 'fail');
    assert.equal(theirs.neededFor, 'both');
    assert.match(theirs.detail, /^in use by another program: .*TEMPORAL_ADDRESS=127\.0\.0\.1:7233.*\(\/x\/temporal\.pid\.json is stale/);
    assert.match(classifyPort(8233, 'Web UI', { listening: true }).detail, /^in use by another program: the dev server cannot start its Web UI there/);
  });
  it('a configured server must answer', () => {
    assert.equal(classifyConfiguredServer('10.0.0.1:7233', true).state, 'ok');
    const silent = classifyConfiguredServer('10.0.0.1:7233', false);
    assert.equal(silent.state, 'fail');
    assert.match(silent.detail, /^nothing answers at 10\.0\.0\.1:7233: /);
  });
});

describe('doctor: tool binaries', () => {
  it('says where a found binary came from', () => {
    const line = (source: string) => classifyBinary(etcd, { how: 'found', found: { path: '/p/etcd', source } }, { neededFor: 'sandbox' }).detail;
    assert.deepEqual([line('cache'), line('PATH'), line('KUBEBUILDER_ASSETS')], ['cached (/p/etcd)', 'on PATH (/p/etcd)', 'from $KUBEBUILDER_ASSETS (/p/etcd)']);
  });
  it('a build is a warning with the measured minutes and how run obtains it', () => {
    const c = classifyBinary({ name: 'kube-apiserver', label: 'kube-apiserver' }, { how: 'build', go: '/usr/bin/go' }, { neededFor: 'sandbox' });
    assert.equal(c.state, 'warn');
    assert.match(c.detail, /^to be built with Go \(~10 min\): /);
    assert.deepEqual(c.obtain, { how: 'build', binary: 'kube-apiserver' });
  });
  it('a download is a warning that needs internet', () => {
    const c = classifyBinary(etcd, { how: 'download', download: noDownload }, { neededFor: 'sandbox' });
    assert.equal(c.state, 'warn');
    assert.deepEqual(c.obtain, { how: 'download', binary: 'etcd' });
  });
  it('nothing to build or download it with: missing, unless the run can do without it', () => {
    assert.equal(classifyBinary(etcd, { how: 'none' }, { neededFor: 'sandbox' }).state, 'missing');
    const optional = classifyBinary({ name: 'kube-controller-manager', label: 'kube-controller-manager' }, { how: 'none' }, { neededFor: 'sandbox', without: 'deleted namespaces keep their objects' });
    assert.equal(optional.state, 'warn');
    assert.match(optional.detail, /the sandbox runs without it \(deleted namespaces keep their objects\)/);
  });
  it('a lookup that failed (a variable naming no executable) fails with its message', () => {
    const c = classifyBinary({ name: 'temporal', label: 'temporal CLI' }, new Error('TEMPORAL_CLI_PATH=/nope is not an executable file'), { neededFor: 'both' });
    assert.deepEqual(c, { name: 'temporal CLI', state: 'fail', detail: 'TEMPORAL_CLI_PATH=/nope is not an executable file', neededFor: 'both' });
  });
  it('counts the kube pair’s shared build once', () => {
    assert.equal(buildMinutes(['temporal']), 6);
    assert.equal(buildMinutes(['etcd', 'kube-apiserver']), 12);
    assert.equal(buildMinutes(['kube-apiserver', 'kube-controller-manager']), 10);
    assert.equal(buildMinutes(['temporal', 'etcd', 'kube-apiserver', 'kube-controller-manager']), 18);
  });
});

describe('doctor: node, disk, memory', () => {
  it('node against the engines floor', () => {
    assert.equal(classifyNode('20.20.2', '>=20.3').state, 'ok');
    assert.equal(classifyNode('20.2.9', '>=20.3').state, 'fail');
    assert.equal(classifyNode('22.0.0', '>=20.3').state, 'ok');
    // Below the declared floor but able to start: it runs, unsupported.
    assert.equal(classifyNode('24.22.3', '>=22.12').state, 'ok');
    assert.match(classifyNode('20.20.2', '>=22.12').detail, /^v20\.20\.2 runs udn-demo, but is below package\.json's >=22\.12 .*Node 24 LTS and 22 are supported/);
    assert.equal(classifyNode('20.20.2', '>=22.12').state, 'warn');
    assert.equal(classifyNode('20.5.1', '>=22.12').state, 'fail');
    assert.equal(classifyNode('20.3.0', '>=20.3').state, 'ok');
    assert.equal(classifyNode('20.3.0', '^20').state, 'warn');
  });
  it('disk: under the sandbox’s need stops both; under kind’s only kind', () => {
    const need = { role: 'data dir', dir: '/d', minGiB: 1, why: 'the sandbox' };
    assert.equal(classifyDisk(need, 0.5).neededFor, 'both');
    assert.equal(classifyDisk(need, 0.5).state, 'fail');
    const kindShort = classifyDisk(need, 5, { name: 'free disk', found: false, hint: '5.0 GiB available, 20 GiB wanted' });
    assert.deepEqual([kindShort.state, kindShort.neededFor], ['fail', 'kind']);
    assert.equal(classifyDisk(need, 30, { name: 'free disk', found: true }).state, 'ok');
    assert.equal(classifyDisk(need, undefined).state, 'warn');
  });
  it('memory: kind’s total, the sandbox’s free (a warning)', () => {
    assert.deepEqual(classifyMemory(4, 3, { name: 'memory', found: false, hint: '4.0 GiB available, 8 GiB wanted' }).neededFor, 'kind');
    assert.equal(classifyMemory(16, 1, { name: 'memory', found: true }).state, 'warn');
    assert.equal(classifyMemory(16, 12, { name: 'memory', found: true }).state, 'ok');
  });
});

describe('doctor: kind’s tools', () => {
  it('Docker: an installed client without an engine says the sandbox can still run', () => {
    const noEngine = classifyDocker({ name: 'docker engine', found: false, hint: 'failed' }, '/usr/bin/docker');
    assert.deepEqual([noEngine.state, noEngine.neededFor], ['missing', 'kind']);
    assert.match(noEngine.detail, /^engine not running: kind cannot run; the sandbox can/);
    assert.match(classifyDocker({ name: 'docker engine', found: false, hint: 'not found' }, undefined).detail, /^not installed: kind cannot run; the sandbox can/);
    assert.equal(classifyDocker({ name: 'docker engine', found: false, version: '19.3', hint: 'version 19.3 is older than 20.10' }, '/usr/bin/docker').state, 'fail');
    assert.equal(classifyDocker({ name: 'docker engine', found: true, version: '27.1' }, '/usr/bin/docker').detail, '27.1');
  });
  it('Go stops kind only when kind builds its image; otherwise it is a warning', () => {
    const gone = { name: 'go', found: false, hint: 'not found: https://go.dev/dl/' };
    assert.deepEqual([classifyGo(gone, true).state, classifyGo(gone, true).neededFor], ['missing', 'kind']);
    assert.equal(classifyGo(gone, false).state, 'warn');
    assert.equal(classifyGo({ name: 'go', found: true, version: '1.26.8' }, true).detail, 'go1.26.8');
  });
  it('kind and kubectl on lines of their own, kind.sh’s other tools on one', () => {
    const tools = [
      { name: 'docker engine', found: true },
      { name: 'kind', found: false, hint: 'not found: install kind' },
      { name: 'kubectl', found: true, version: '1.32.4' },
      { name: 'git', found: true },
      { name: 'jq', found: false, hint: 'not found: apt install jq' },
      { name: 'go', found: true },
      { name: 'free disk', found: true },
      { name: 'memory', found: true },
    ];
    const [kind, kubectl, rest] = classifyKindTools(tools);
    assert.deepEqual([kind!.name, kind!.state, kubectl!.detail], ['kind', 'missing', '1.32.4']);
    assert.deepEqual([rest!.name, rest!.state, rest!.detail], ['kind.sh tools', 'missing', 'jq missing: jq: not found: apt install jq']);
  });
});
