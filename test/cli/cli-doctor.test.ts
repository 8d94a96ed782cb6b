import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { execa } from 'execa';
import type { DoctorReport } from '../../src/doctor/report.ts';
import { freePort } from '../../src/host/free-port.ts';
import { cli } from '../helpers/cli.ts';

const engineAnswers = async () => (await execa('docker', ['info'], { reject: false, timeout: 10_000 }).catch(() => undefined))?.exitCode === 0;

describe('udn-demo doctor on this machine (Go and the cached binaries, a Docker client without an engine)', { timeout: 120_000 }, () => {
  it('names the Docker engine as missing, says the sandbox can run, and exits 0', async (t) => {
    if (await engineAnswers()) return t.skip('a Docker engine answers here');
    const r = await cli(['doctor']);
    assert.equal(r.exitCode, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^MISSING\s+Docker\s+engine not running: kind cannot run; the sandbox can/m);
    assert.match(r.stdout, /^verdict: `udn-demo run --sandbox` can start; a kind run cannot \(Docker[,)]/m);
    assert.match(r.stdout, /^\S+\s+etcd\s+/m);
  });

  it('--json gives one document with both verdicts', async (t) => {
    if (await engineAnswers()) return t.skip('a Docker engine answers here');
    const r = await cli(['doctor', '--json']);
    assert.equal(r.exitCode, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as DoctorReport;
    assert.deepEqual(Object.keys(doc), ['checks', 'sandbox', 'kind']);
    assert.deepEqual(doc.sandbox, { canRun: true, reasons: [] });
    assert.equal(doc.kind.canRun, false);
    assert.ok(doc.kind.reasons.some((r) => r.startsWith('Docker: engine not running')), doc.kind.reasons.join('\n'));
    assert.deepEqual(doc.checks.find((c) => c.name === 'Docker')?.state, 'missing');
  });
});

/**
 * A machine with nothing: an empty cache and a PATH with no tools (the CLI runs from
 * process.execPath, so it needs none). The Temporal server is configured, on a port this test
 * owns, so a dev server someone runs on 7233 cannot change the answer.
 */
describe('udn-demo doctor on a bare machine', { timeout: 120_000 }, () => {
  let root: string;
  let vars: Record<string, string>;
  let server: Server;
  let listeningAt: string;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'udn-doctor-'));
    await mkdir(join(root, 'bin'));
    vars = { PATH: join(root, 'bin'), UDN_DEMO_CACHE_DIR: join(root, 'cache'), UDN_DEMO_DATA_DIR: join(root, 'data'), KUBEBUILDER_ASSETS: '', TEMPORAL_CLI_PATH: '' };
    server = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    listeningAt = `127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  after(() => server?.close());

  it('without Go, the sandbox binaries are to be downloaded: it can still run (exit 0)', async () => {
    const r = await cli(['doctor'], { ...vars, TEMPORAL_ADDRESS: listeningAt });
    assert.equal(r.exitCode, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^MISSING\s+Docker\s+not installed: kind cannot run; the sandbox can/m);
    assert.match(r.stdout, /^warn\s+etcd\s+to be downloaded: no Go/m);
    assert.match(r.stdout, /^warn\s+kube-controller-manager\s+cannot be obtained: no Go to build it; the sandbox runs without it/m);
  });

  it('a configured Temporal server that does not answer stops the sandbox: exit 3 with the reason', async () => {
    const closed = `127.0.0.1:${await freePort()}`;
    const r = await cli(['doctor'], { ...vars, TEMPORAL_ADDRESS: closed });
    assert.equal(r.exitCode, 3, r.stdout + r.stderr);
    assert.match(r.stdout, new RegExp(`^FAIL\\s+Temporal server\\s+nothing answers at ${closed}`, 'm'));
    assert.match(r.stdout, /^verdict: `udn-demo run --sandbox` cannot start \(Temporal server\)/m);
    const json = await cli(['doctor', '--json'], { ...vars, TEMPORAL_ADDRESS: closed });
    assert.equal(json.exitCode, 3);
    const doc = JSON.parse(json.stdout) as DoctorReport;
    assert.equal(doc.sandbox.canRun, false);
    assert.match(doc.sandbox.reasons.join('\n'), new RegExp(`^Temporal server: nothing answers at ${closed}`));
  });

  it('with Go, says how long the builds take, and never runs a build', async () => {
    const ran = join(root, 'go-ran');
    await writeFile(join(root, 'bin', 'go'), `#!/bin/sh\necho "$@" >> ${ran}\necho "go version go1.24.0 linux/amd64"\n`);
    await chmod(join(root, 'bin', 'go'), 0o755);
    const r = await cli(['doctor'], { ...vars, TEMPORAL_ADDRESS: listeningAt });
    assert.equal(r.exitCode, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^warn\s+etcd\s+to be built with Go \(~2 min\)/m);
    assert.match(r.stdout, /^warn\s+kube-apiserver\s+to be built with Go \(~10 min\)/m);
    assert.deepEqual((await readFile(ran, 'utf8')).trim().split('\n'), ['version']);
  });

  it('run says up front, in doctor\'s one line, what it must build first (then fails on the unreachable server, having built nothing)', async () => {
    const closed = `127.0.0.1:${await freePort()}`;
    const r = await cli(['run', '--sandbox'], { ...vars, TEMPORAL_ADDRESS: closed });
    assert.equal(r.exitCode, 3, r.stderr);
    assert.match(r.stderr, /^doctor: etcd, kube-apiserver.* to be (built with Go \(~\d+ min\)|downloaded)/m);
    assert.match(r.stderr, /cannot reach the Temporal server/);
    assert.deepEqual(await readdir(join(root, 'cache')).catch(() => []), [], 'nothing was built or downloaded');
  });
});
