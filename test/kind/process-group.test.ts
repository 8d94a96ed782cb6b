import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { GROUP_MARK, recordGroup, stopRecordedGroup } from '../../src/cluster/providers/kind/process-group.ts';
import { processRunning } from '../helpers/fake-tools.ts';
import { until } from '../helpers/timing.ts';

/** A detached shell leading a group, with a `sleep` child that prints its pid; the leader then dies alone, as kind.sh does of SIGPIPE. */
async function orphanedChild(env: NodeJS.ProcessEnv, pidFile: string): Promise<{ leader: number; child: number }> {
  const sh = spawn('/bin/sh', ['-c', 'sleep 30 & echo $!; wait'], { detached: true, env, stdio: ['ignore', 'pipe', 'ignore'] });
  const leader = sh.pid!;
  recordGroup(pidFile, leader);
  const [chunk] = (await once(sh.stdout, 'data')) as [Buffer];
  const child = Number(chunk.toString().trim());
  process.kill(leader, 'SIGKILL');
  await once(sh, 'exit');
  assert.ok(processRunning(child), 'the child outlives its leader');
  return { leader, child };
}

describe("kind.sh's process group after its leader died alone", () => {
  it('children marked with the record are stopped before a new attempt', { timeout: 30_000 }, async () => {
    const pidFile = join(await mkdtemp(join(tmpdir(), 'udn-pgroup-')), 'ovn.kind-sh.pid');
    const { leader, child } = await orphanedChild({ ...process.env, [GROUP_MARK]: pidFile }, pidFile);
    const stopped = await stopRecordedGroup(pidFile);
    assert.equal(stopped?.pid, leader);
    await until('the orphaned child to be gone', () => (processRunning(child) ? undefined : true), 10_000);
    await assert.rejects(readFile(pidFile), /ENOENT/, 'the record goes with the group');
  });

  it('a group holding a process not marked with this record is left alone (it is not ours)', { timeout: 30_000 }, async () => {
    const pidFile = join(await mkdtemp(join(tmpdir(), 'udn-pgroup-')), 'ovn.kind-sh.pid');
    const { child } = await orphanedChild({ ...process.env, [GROUP_MARK]: `${pidFile}.other` }, pidFile);
    try {
      assert.equal(await stopRecordedGroup(pidFile), undefined);
      assert.ok(processRunning(child), 'a stranger is never signalled');
    } finally {
      process.kill(child, 'SIGKILL');
    }
  });
});
