import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { classify, instrument } from '../../src/activities/instrument.ts';
import { NON_RETRYABLE_TYPES } from '../../src/activities/types.ts';
import { InfrastructureError, InputError, PreflightError } from '../../src/errors.ts';

describe('activity instrumentation', () => {
  it('returns each result with the attempt that produced it, under the same activity names', async () => {
    const acts = instrument({ async double(n: number) { return n * 2; } });
    assert.equal(acts.double.name, 'double');
    const env = new MockActivityEnvironment({ attempt: 3 });
    assert.deepEqual(await env.run(acts.double, 21), { attempt: 3, value: 42 });
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

  it('a failing body fails through the wrapper, classified, never returning a result', async () => {
    const acts = instrument({ async preflight(): Promise<never> { throw new PreflightError('missing: docker engine'); } });
    await assert.rejects(new MockActivityEnvironment().run(acts.preflight), (err: unknown) => err instanceof ApplicationFailure && err.type === 'PreflightFailed' && err.nonRetryable);
  });
});
