import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { groupMembers, identify, isSameProcess, startedWith, verify } from '../../src/host/process-identity.ts';
import { deadProcess, endGroup, orphanedGroup, spawnStranger } from '../host/strangers.ts';

const bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();

describe('process identity: a recorded pid is trusted only while it names the process recorded', () => {
  const started: number[] = [];
  after(() => started.forEach(endGroup));

  it('identifies the current process by its start time and boot, and recognises it', () => {
    const me = identify(process.pid);
    assert.ok(me);
    assert.equal(me.pid, process.pid);
    assert.equal(me.bootId, bootId);
    assert.ok(Number.isInteger(me.startTicks) && me.startTicks > 0, String(me.startTicks));
    assert.ok(isSameProcess(me));
    assert.deepEqual(verify(me), { state: 'ours' });
  });

  it('tells two processes apart by their start times', () => {
    const other = spawnStranger();
    started.push(other.pid);
    const recorded = identify(other.pid)!;
    assert.ok(isSameProcess(recorded));
    assert.equal(isSameProcess({ ...recorded, pid: process.pid }), false, "this process does not pass for the sleep started after it");
  });

  it('finds no process under a pid whose process has exited', async () => {
    const gone = await deadProcess();
    assert.equal(identify(gone.pid), undefined);
    assert.equal(isSameProcess(gone), false);
    assert.deepEqual(verify(gone), { state: 'gone' });
  });

  it('does not take a live process for the one recorded when the start time differs', () => {
    const me = identify(process.pid)!;
    const recorded = { ...me, startTicks: me.startTicks - 1 };
    assert.equal(isSameProcess(recorded), false);
    const v = verify(recorded);
    assert.equal(v.state, 'stale');
    assert.match(v.state === 'stale' ? v.why : '', new RegExp(`pid ${process.pid} is now another process`));
  });

  it('does not take a live process for the one recorded when the boot differs', () => {
    const me = identify(process.pid)!;
    const recorded = { ...me, bootId: '00000000-0000-0000-0000-000000000000' };
    assert.equal(isSameProcess(recorded), false);
    const v = verify(recorded);
    assert.equal(v.state, 'stale');
    assert.match(v.state === 'stale' ? v.why : '', /recorded before the machine last booted/);
  });

  it('does not trust a record without identity (an older udn-demo wrote only the pid), and says so', () => {
    assert.equal(isSameProcess({ pid: process.pid }), false);
    assert.equal(isSameProcess({ pid: process.pid, startTicks: identify(process.pid)!.startTicks }), false, 'a start time without its boot is not an identity');
    const v = verify({ pid: process.pid });
    assert.equal(v.state, 'stale');
    assert.match(v.state === 'stale' ? v.why : '', new RegExp(`pid ${process.pid} was recorded without its start time \\(by an older udn-demo\\).*ps -p ${process.pid}`));
  });

  it('lists the live members of a process group and reads the environment they were started with', async () => {
    const leader = await orphanedGroup({ ...process.env, UDN_DEMO_TEST_MARK: 'yes' });
    started.push(leader.pid);
    const members = groupMembers(leader.pid);
    assert.equal(members.length, 1, 'the sleep left behind by its exited leader');
    assert.ok(!members.includes(leader.pid));
    assert.ok(startedWith(members[0]!, 'UDN_DEMO_TEST_MARK', 'yes'));
    assert.equal(startedWith(members[0]!, 'UDN_DEMO_TEST_MARK', 'no'), false);
    assert.equal(startedWith(members[0]!, 'UDN_DEMO_TEST_MAR', 'K=yes'), false);
    assert.deepEqual(groupMembers((await deadProcess()).pid), []);
  });
});
