import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../../src/activities/index.ts';
import { HEARTBEAT_EVERY_MS, withProgress } from '../../src/activities/heartbeat.ts';
import { classify, instrument } from '../../src/activities/instrument.ts';
import { NON_RETRYABLE_TYPES } from '../../src/model/activities.ts';
import { InfrastructureError, InputError, PreflightError } from '../../src/errors.ts';

describe('activity instrumentation', () => {
  it('returns each result with the attempt that produced it, under the same activity names', async () => {
    const acts = instrument({ async double(n: number) { return n * 2; } });
    assert.equal(acts.double.name, 'double');
    const env = new MockActivityEnvironment({ attempt: 3 });
    assert.deepEqual(await env.run(acts.double, 21), { attempt: 3, value: 42 });
  });

  it('keeps every activity alive: it heartbeats while the body runs, even a body that never does, re-sending its last progress line; and stops after', async () => {
    const beats: unknown[] = [];
    const acts = instrument({
      async quiet() {
        await sleep(HEARTBEAT_EVERY_MS * 2.5);
        return 'done';
      },
      async chatty() {
        return withProgress(async (progress) => {
          progress('waiting for green/vm-b');
          await sleep(HEARTBEAT_EVERY_MS * 1.5);
          return 'done';
        });
      },
    });
    const env = new MockActivityEnvironment();
    env.on('heartbeat', (d: unknown) => beats.push(d));
    assert.deepEqual(await env.run(acts.quiet), { attempt: 1, value: 'done' });
    assert.ok(beats.length >= 3, `a beat at the start and every ${HEARTBEAT_EVERY_MS} ms: ${beats.length}`);
    beats.length = 0;
    await env.run(acts.chatty);
    assert.deepEqual(beats.at(-1), { progress: 'waiting for green/vm-b' }, 'the keep-alive beat repeats the progress line');
    const after = beats.length;
    await sleep(HEARTBEAT_EVERY_MS * 1.5);
    assert.equal(beats.length, after, 'no beat once the activity has returned');
  });

  it('classifies errors: what a retry cannot fix is non-retryable, and says on which attempt it failed', async () => {
    const cases: [Error, string, boolean][] = [
      [new InputError('scenario.green.subnet: bad'), 'InvalidInput', true],
      [new InfrastructureError('apiserver unreachable'), 'Infrastructure', false],
      [new PreflightError('missing: kind'), 'PreflightFailed', true],
      [new TypeError('boom'), 'TypeError', false],
    ];
    for (const [err, type, nonRetryable] of cases) {
      const failure = classify(err, 2);
      assert.ok(failure instanceof ApplicationFailure);
      assert.equal(failure.type, type);
      assert.equal(failure.nonRetryable, nonRetryable, type);
      assert.equal(failure.message, err.message);
      assert.deepEqual(failure.details, [{ attempt: 2 }]);
      assert.equal(NON_RETRYABLE_TYPES.includes(type as never), nonRetryable, `${type} is listed as non-retryable in workflows too`);
    }
    const own = ApplicationFailure.nonRetryable('already classified', 'Custom');
    assert.equal(classify(own, 1), own);
  });

  it('injected failures: attempts 1..N fail with a retryable EmulatedFault before the body runs; attempt N+1 runs it and returns its result', async () => {
    let calls = 0;
    const acts = instrument(
      {
        async migrateVmi(n: number) {
          calls++;
          return n + 1;
        },
        async preflight() {
          return 'untouched';
        },
      },
      { migrateVmi: 2 },
    );
    for (const attempt of [1, 2]) {
      await assert.rejects(new MockActivityEnvironment({ attempt }).run(acts.migrateVmi, 1), (err: unknown) => {
        assert.ok(err instanceof ApplicationFailure, String(err));
        assert.equal(err.type, 'EmulatedFault');
        assert.equal(err.nonRetryable, false, 'a retry fixes it');
        assert.ok(!NON_RETRYABLE_TYPES.includes(err.type as never), 'and the workflows retry it');
        assert.equal(err.message, `emulated fault: migrateVmi fails its first 2 attempt(s); this is attempt ${attempt}`);
        assert.deepEqual(err.details, [{ attempt }]);
        return true;
      });
    }
    assert.equal(calls, 0, 'a failed attempt never reaches the body: no side effect to undo');
    assert.deepEqual(await new MockActivityEnvironment({ attempt: 3 }).run(acts.migrateVmi, 1), { attempt: 3, value: 2 });
    assert.deepEqual(await new MockActivityEnvironment({ attempt: 7 }).run(acts.migrateVmi, 1), { attempt: 7, value: 2 });
    assert.equal(calls, 2);
    assert.deepEqual(await new MockActivityEnvironment({ attempt: 1 }).run(acts.preflight), { attempt: 1, value: 'untouched' }, 'an activity not named is not failed');
    const none = instrument({ async migrateVmi() { return 'ok'; } });
    assert.deepEqual(await new MockActivityEnvironment({ attempt: 1 }).run(none.migrateVmi), { attempt: 1, value: 'ok' }, 'no injection by default');
  });

  it('injected failures naming no activity are an input error that names it, at registration', () => {
    const impls = { async preflight() { return 1; }, async migrateVmi() { return 2; } };
    assert.throws(
      () => instrument(impls, { migrateVm: 1, preflight: 1 }),
      (err: unknown) => err instanceof InputError && err.message === '--fail-activity names no activity: migrateVm (activities: preflight, migrateVmi)',
    );
    // The names `--fail-activity` is given (docs/USAGE.md, the transient-faults test) are activities the worker registers.
    const documented = ['preflight', 'ensureCluster', 'applyManifests', 'waitReady', 'discoverAddresses', 'runProbes', 'startTraffic', 'migrateVmi', 'collectTraffic', 'writeReport'];
    const registered = Object.keys(instrument(createActivities(), Object.fromEntries(documented.map((n) => [n, 1]))));
    assert.deepEqual(documented.filter((n) => !registered.includes(n)), []);
  });

  it('a failing body fails through the wrapper, classified, never returning a result', async () => {
    const acts = instrument({ async preflight(): Promise<never> { throw new PreflightError('missing: docker engine'); } });
    await assert.rejects(new MockActivityEnvironment().run(acts.preflight), (err: unknown) => err instanceof ApplicationFailure && err.type === 'PreflightFailed' && err.nonRetryable);
  });

  it('a cancelled body ends cancelled through the wrapper, not as a failure (the server records the activity cancelled)', async () => {
    const acts = instrument({
      async waits() {
        return withProgress(async (_progress, signal) => {
          await new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
        });
      },
    });
    const env = new MockActivityEnvironment();
    const running = env.run(acts.waits);
    setTimeout(() => env.cancel(), 50);
    await assert.rejects(running, (err: unknown) => err instanceof CancelledFailure);
  });
});
