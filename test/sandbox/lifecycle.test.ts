import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { access, chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { groupAlive, isAlive } from '../../src/host/processes.ts';
import { groupMembers, identify, type RecordedProcess } from '../../src/host/process-identity.ts';
import { sandboxDown, sandboxStatus, sandboxUp } from '../../src/sandbox/index.ts';
import { SANDBOX_MARK } from '../../src/sandbox/lifecycle.ts';
import { acquireFileLock } from '../../src/host/file-lock.ts';

import { ETCD, KUBE_CONTROLLER_MANAGER } from '../../src/sandbox/binaries.ts';
import { locateBinary } from '../../src/host/binaries.ts';
import { spawnCli } from '../helpers/cli.ts';
import { freshSandbox } from '../helpers/sandbox.ts';
import { deadProcess, endGroup, orphanedGroup, spawnStranger } from '../host/strangers.ts';

const lockSandboxStart = (dir: string, log: (line: string) => void) => acquireFileLock(`${dir}.lock`, { doing: 'starting the sandbox', log });
const quiet = () => undefined;
const instant = { profile: 'instant', scale: 1 } as const;

/** A sandbox directory whose state.json says `supervisor` leads a ready sandbox. */
async function forged(supervisor: RecordedProcess): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'udn-sandbox-'));
  const { pid, ...identity } = supervisor;
  await writeFile(join(dir, 'state.json'), JSON.stringify({ pgid: pid, ...identity, phase: 'ready', startedAt: new Date().toISOString(), server: 'https://127.0.0.1:1' }));
  return dir;
}

describe('sandbox process lifecycle: nothing is left behind, nothing is doubled', { timeout: 240_000 }, () => {
  it('the supervisor still exits when its directory is gone: its last state write does not hold it', async () => {
    const s = await freshSandbox();
    await rm(s.dir, { recursive: true, force: true });
    const etcd = groupMembers(s.pgid!).find((pid) => /(^|\/)etcd-[^/]*$/.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0]!));
    assert.ok(etcd, 'etcd runs in the sandbox group');
    process.kill(etcd, 'SIGKILL');
    for (let i = 0; i < 300 && groupAlive(s.pgid!); i++) await sleep(100);
    assert.equal(groupAlive(s.pgid!), false, 'the supervisor stopped what was left and exited');
  });

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

describe('sandbox up over a stale state.json', { timeout: 120_000 }, () => {
  it('up neither reuses nor signals a sandbox whose supervisor pid is now another process, and starts a fresh one', async () => {
    const stranger = spawnStranger();
    try {
      const real = identify(stranger.pid)!;
      const dir = await forged({ ...real, startTicks: real.startTicks + 1 });
      const lines: string[] = [];
      const fresh = await sandboxUp({ dir, emulation: instant, log: (l) => lines.push(l) });
      assert.equal(fresh.state, 'ready');
      assert.notEqual(fresh.pgid, stranger.pid, 'the stranger was not taken for the sandbox');
      assert.ok(isAlive(stranger.pid), 'the stranger was not signalled');
      assert.ok(lines.some((l) => l.includes(`state.json is stale: pid ${stranger.pid} is now another process`)), lines.join('\n'));
      await sandboxDown(dir);
    } finally {
      endGroup(stranger.pid);
    }
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

describe('sandbox state.json: processes it names are signalled only while they are the sandbox\'s', () => {
  const started: number[] = [];
  after(() => started.forEach(endGroup));

  async function downLeavesAlone(dir: string, pid: number, why: RegExp): Promise<void> {
    const status = await sandboxStatus(dir);
    assert.equal(status.state, 'stale');
    assert.match(status.staleRecord ?? '', why);
    const lines: string[] = [];
    assert.equal(await sandboxDown(dir, (l) => lines.push(l)), 'stale');
    assert.ok(groupAlive(pid), 'nothing of that process group was signalled');
    assert.match(lines.join('\n'), why);
    assert.match(lines.join('\n'), /nothing was signalled, and .* is removed/);
    await assert.rejects(access(dir), 'the directory is removed all the same');
  }

  it('down leaves a live process whose start time differs from the supervisor recorded alone, and says the record was stale', async () => {
    const stranger = spawnStranger();
    started.push(stranger.pid);
    const real = identify(stranger.pid)!;
    await downLeavesAlone(await forged({ ...real, startTicks: real.startTicks + 1 }), stranger.pid, new RegExp(`state.json is stale: pid ${stranger.pid} is now another process`));
  });

  it('down leaves the pid of a state written without identity (an older udn-demo) alone, and says why', async () => {
    const stranger = spawnStranger();
    started.push(stranger.pid);
    await downLeavesAlone(await forged({ pid: stranger.pid }), stranger.pid, new RegExp(`pid ${stranger.pid} was recorded without its start time`));
  });

  it('down leaves a leaderless process group alone when its processes were not started for this sandbox', async () => {
    const leader = await orphanedGroup();
    started.push(leader.pid);
    await downLeavesAlone(await forged(leader), leader.pid, new RegExp(`the supervisor \\(pid ${leader.pid}\\) is gone and its process group holds processes not marked as this sandbox's`));
  });

  it('down stops the orphans of a dead supervisor, which carry the sandbox\'s mark', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'udn-sandbox-'));
    const leader = await orphanedGroup({ ...process.env, [SANDBOX_MARK]: dir });
    started.push(leader.pid);
    await writeFile(join(dir, 'state.json'), JSON.stringify({ pgid: leader.pid, startTicks: leader.startTicks, bootId: leader.bootId, phase: 'ready', startedAt: new Date().toISOString() }));
    assert.equal((await sandboxStatus(dir)).state, 'stale', 'without its supervisor the sandbox is not usable');
    assert.equal(await sandboxDown(dir, quiet), 'stopped');
    assert.equal(groupAlive(leader.pid), false);
  });
});

describe('sandbox start lock', () => {
  /** Starts `n` lockers within a few ms over `dir`'s lock; returns the most that held it at one time. */
  async function race(dir: string, n: number): Promise<number> {
    let holding = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: n }, async () => {
        // Staggered, as separate processes would be: one may read the lock while another replaces it.
        await sleep(Math.random() * 4);
        const release = await lockSandboxStart(dir, quiet);
        most = Math.max(most, ++holding);
        await sleep(30);
        holding--;
        await release();
      }),
    );
    return most;
  }

  it('over a lock left by a dead process, concurrent starts take it over one at a time', async () => {
    const dead = await deadProcess();
    for (let round = 0; round < 10; round++) {
      const parent = await mkdtemp(join(tmpdir(), 'udn-lock-'));
      const dir = join(parent, 'ovn');
      await writeFile(`${dir}.lock`, JSON.stringify(dead));
      assert.equal(await race(dir, 4), 1, `round ${round}: two starts held the lock at once`);
    }
  });

  it('a second start waits until the first releases, saying for whom', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'udn-lock-')), 'ovn');
    const release = await lockSandboxStart(dir, quiet);
    const lines: string[] = [];
    let second = false;
    const waiting = lockSandboxStart(dir, (l) => lines.push(l)).then((r) => {
      second = true;
      return r;
    });
    await sleep(600);
    assert.equal(second, false, 'the second start waits while the first holds the lock');
    assert.deepEqual(lines, [`waiting for another udn-demo (pid ${process.pid}), starting the sandbox, to finish`]);
    await release();
    await (await waiting)();
  });

  it('a lock holding a bare pid (an older udn-demo) is taken over: its pid cannot be shown to be the holder', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'udn-lock-')), 'ovn');
    await writeFile(`${dir}.lock`, String(process.ppid));
    assert.ok(isAlive(process.ppid));
    const release = await lockSandboxStart(dir, quiet);
    await release();
  });
});
