import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ActivityFailure, RetryState } from '@temporalio/common';
import { identify } from '../../src/host/process-identity.ts';
import { formatWorkerIdentity, judgeWorker, parseWorkerIdentity, thisWorker, workerIdentity, type WorkerFacts } from '../../src/host/worker-identity.ts';
import { NON_RETRYABLE_TYPES } from '../../src/model/activities.ts';
import { workerDied } from '../../src/worker/reaper.ts';
import { rootFailure } from '../../src/workflows/step-tracker.ts';
import { deadProcess } from '../host/strangers.ts';

/**
 * The reaper fails a worker's activity attempt only when that worker is provably dead: a wrong
 * "dead" runs the activity a second time while the first still runs (a second live-migration).
 */

const here = { host: 'node-1', bootId: '7c0e5d8a-1b2c-4d3e-8f90-a1b2c3d4e5f6', pidNamespace: '4026531836' };
const worker: WorkerFacts = { ...here, pid: 4242, startTicks: 123456 };
const identity = formatWorkerIdentity(worker);
/** A process table: pid → start ticks. */
const table = (entries: Record<number, number>) => (pid: number) => entries[pid];

describe('worker identity: who ran an attempt, and whether it is provably dead', () => {
  it('names host, pid, start time, boot and pid namespace, and reads them back', () => {
    assert.equal(identity, 'udn-demo@node-1/pid=4242/start=123456/boot=7c0e5d8a-1b2c-4d3e-8f90-a1b2c3d4e5f6/pidns=4026531836');
    assert.deepEqual(parseWorkerIdentity(identity), worker);
  });

  it('this process: its own identity, judged alive against the real process table', () => {
    const me = thisWorker();
    assert.equal(me.pid, process.pid);
    assert.equal(judgeWorker(workerIdentity(), me, (pid) => identify(pid)?.startTicks), 'alive');
  });

  it('dead: same host, boot and namespace, and the pid gone', () => {
    assert.equal(judgeWorker(identity, here, table({})), 'dead');
  });

  it('dead: same host, boot and namespace, and the pid now a process that started at another time', () => {
    assert.equal(judgeWorker(identity, here, table({ 4242: 999999 })), 'dead');
  });

  it('dead: a real process that exited, against the real process table', async () => {
    const gone = await deadProcess();
    const facts = thisWorker();
    assert.equal(judgeWorker(formatWorkerIdentity({ ...facts, pid: gone.pid, startTicks: gone.startTicks }), facts, (pid) => identify(pid)?.startTicks), 'dead');
  });

  it('alive: the pid held by a process with the same start time', () => {
    assert.equal(judgeWorker(identity, here, table({ 4242: 123456 })), 'alive');
  });

  it('unknown, never dead: another host, even with its pid free here', () => {
    assert.equal(judgeWorker(formatWorkerIdentity({ ...worker, host: 'node-2' }), here, table({})), 'unknown');
  });

  it('unknown, never dead: another boot of this host (or another machine of the same name)', () => {
    assert.equal(judgeWorker(formatWorkerIdentity({ ...worker, bootId: '00000000-1b2c-4d3e-8f90-a1b2c3d4e5f6' }), here, table({})), 'unknown');
  });

  it('unknown, never dead: another pid namespace (a container on this kernel: its pids are not ours to see)', () => {
    assert.equal(judgeWorker(formatWorkerIdentity({ ...worker, pidNamespace: '4026532000' }), here, table({})), 'unknown');
  });

  it('unknown, never dead: identities it cannot parse (the SDK default of an older worker, empty, near misses)', () => {
    for (const other of ['4242@node-1', '', 'udn-demo@node-1/pid=4242/start=123456', `${identity}/extra`, identity.replace('pid=4242', 'pid=x'), ` ${identity}`]) {
      assert.equal(judgeWorker(other, here, table({})), 'unknown', JSON.stringify(other));
      assert.equal(parseWorkerIdentity(other), undefined, JSON.stringify(other));
    }
  });
});

describe('WorkerDied: the failure the reaper ends a dead worker\'s attempt with', () => {
  it('is retryable, retried at once, and read by the step tracker like any retryable failure', () => {
    const failure = workerDied(2, identity);
    assert.equal(failure.type, 'WorkerDied');
    assert.equal(failure.nonRetryable, false);
    assert.ok(!(NON_RETRYABLE_TYPES as readonly string[]).includes('WorkerDied'), 'the retry policy lets it retry');
    assert.equal(failure.nextRetryDelay, '100ms');
    // As the workflow sees it once the retries ran out: wrapped in an ActivityFailure.
    const seen = new ActivityFailure('activity failed', 'waitReady', '7', RetryState.MAXIMUM_ATTEMPTS_REACHED, identity, failure);
    assert.deepEqual(rootFailure(seen), { type: 'WorkerDied', message: failure.message, attempt: 2 });
  });
});
