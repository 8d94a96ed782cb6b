import assert from 'node:assert/strict';
import { access, chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { groupAlive } from '../../src/host/processes.ts';
import { sandboxDown, sandboxStatus, sandboxUp } from '../../src/sandbox/index.ts';
import { ETCD, KUBE_CONTROLLER_MANAGER } from '../../src/sandbox/binaries.ts';
import { locateBinary } from '../../src/host/binaries.ts';
import { spawnCli } from '../helpers/cli.ts';
import { freshSandbox } from '../helpers/sandbox.ts';

const quiet = () => undefined;
const instant = { profile: 'instant', scale: 1 } as const;

describe('sandbox process lifecycle: nothing is left behind, nothing is doubled', { timeout: 240_000 }, () => {
  it('up reports ready and down stops every process and removes the data', async () => {
    const s = await freshSandbox();
    assert.equal(s.state, 'ready');
    await access(s.kubeconfigPath!);
    assert.ok(groupAlive(s.pgid!));
    const again = await sandboxUp({ dir: s.dir, emulation: instant, log: quiet });
    assert.equal(again.pgid, s.pgid, 'a second up reuses the running sandbox');
    assert.equal(await sandboxDown(s.dir), 'stopped');
    assert.equal(groupAlive(s.pgid!), false, 'no process of the sandbox is left');
    assert.equal((await sandboxStatus(s.dir)).state, 'absent');
    assert.equal(await sandboxDown(s.dir), 'absent');
  });

  it('after a SIGKILL of the supervisor, the orphans are found, stopped, and a fresh sandbox replaces them', async () => {
    const s = await freshSandbox();
    process.kill(s.pgid!, 'SIGKILL');
    await sleep(200);
    assert.ok(groupAlive(s.pgid!), 'etcd and the API server outlive their supervisor');
    assert.equal((await sandboxStatus(s.dir)).state, 'stale');
    const lines: string[] = [];
    const fresh = await sandboxUp({ dir: s.dir, emulation: instant, log: (l) => lines.push(l) });
    assert.ok(lines.some((l) => /cleaning up a stale sandbox/.test(l)), lines.join('\n'));
    assert.equal(groupAlive(s.pgid!), false, 'the orphans were stopped');
    assert.equal(fresh.state, 'ready');
    assert.notEqual(fresh.pgid, s.pgid);
    await sandboxDown(s.dir);
    assert.equal(groupAlive(fresh.pgid!), false);
  });

  it('a failed start (an API server that dies) reports why and leaves nothing running', async () => {
    const assets = await mkdtemp(join(tmpdir(), 'udn-assets-'));
    const real = async (spec: typeof ETCD) => (await locateBinary(spec, { log: quiet })).path;
    // envtest's convention: a directory of binaries; here with a kube-apiserver that cannot start.
    await writeFile(join(assets, 'kube-apiserver'), '#!/bin/sh\necho "flag provided but not defined" >&2\nexit 1\n');
    await chmod(join(assets, 'kube-apiserver'), 0o755);
    const env = { ...process.env, KUBEBUILDER_ASSETS: assets, PATH: '/nonexistent' };
    await writeFile(join(assets, 'etcd'), `#!/bin/sh\nexec ${await real(ETCD)} "$@"\n`);
    await writeFile(join(assets, 'kube-controller-manager'), `#!/bin/sh\nexec ${await real(KUBE_CONTROLLER_MANAGER)} "$@"\n`);
    await chmod(join(assets, 'etcd'), 0o755);
    await chmod(join(assets, 'kube-controller-manager'), 0o755);
    const dir = await mkdtemp(join(tmpdir(), 'udn-sandbox-'));
    await assert.rejects(sandboxUp({ dir, env, emulation: instant, log: quiet }), /the sandbox failed to start: kube-apiserver exited \(1\) during start-up/);
    const status = await sandboxStatus(dir);
    assert.equal(status.state, 'failed');
    assert.equal(groupAlive(status.pgid!), false, 'etcd was stopped with the failed start');
    await sandboxDown(dir);
  });

  it('a SIGKILL of the CLI during `sandbox up` leaves one sandbox, which the next up reuses', async () => {
    const data = await mkdtemp(join(tmpdir(), 'udn-data-'));
    const cli = spawnCli(['sandbox', 'up', '--profile', 'instant'], { UDN_DEMO_DATA_DIR: data }, /sandbox: starting etcd/);
    await cli.ready;
    cli.child.kill('SIGKILL');
    await cli.child;
    const dir = join(data, 'sandbox', 'ovn');
    const first = await sandboxUp({ dir, emulation: instant, log: quiet });
    const second = await sandboxUp({ dir, emulation: instant, log: quiet });
    assert.equal(second.pgid, first.pgid);
    await sandboxDown(dir);
    assert.equal(groupAlive(first.pgid!), false);
  });
});

describe('sandbox up interrupted', { timeout: 120_000 }, () => {
  it('Ctrl-C during `sandbox up` stops what had started, removes it, and exits 130', async () => {
    const data = await mkdtemp(join(tmpdir(), 'udn-data-'));
    const cli = spawnCli(['sandbox', 'up', '--profile', 'instant'], { UDN_DEMO_DATA_DIR: data }, /sandbox: starting etcd/);
    await cli.ready;
    const { pgid } = (await sandboxStatus(join(data, 'sandbox', 'ovn'))) as { pgid: number };
    cli.child.kill('SIGINT');
    const r = await cli.child;
    assert.equal(r.exitCode, 130, cli.stderr());
    assert.match(cli.stderr(), /start interrupted; what had started is stopped and removed/);
    assert.equal(groupAlive(pgid), false);
    assert.equal((await sandboxStatus(join(data, 'sandbox', 'ovn'))).state, 'absent');
  });
});
