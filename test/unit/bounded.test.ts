import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { mapBounded } from '../../src/workflows/bounded.ts';

describe('mapBounded', () => {
  it('never runs more than the limit at once, keeps every lane busy, and returns results in the items’ order', async () => {
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const out = await mapBounded([30, 5, 20, 5, 5, 10, 1], 3, async (ms, i) => {
      started.push(i);
      most = Math.max(most, ++running);
      await sleep(ms);
      running--;
      return `${i}:${ms}`;
    });
    assert.equal(most, 3);
    assert.deepEqual(started, [0, 1, 2, 3, 4, 5, 6], 'items start in order');
    assert.deepEqual(out, ['0:30', '1:5', '2:20', '3:5', '4:5', '5:10', '6:1']);
  });

  it('handles fewer items than the limit, none, and a limit below one', async () => {
    assert.deepEqual(await mapBounded([1, 2], 8, async (x) => x * 2), [2, 4]);
    assert.deepEqual(await mapBounded([], 4, async (x: number) => x), []);
    assert.deepEqual(await mapBounded([1, 2, 3], 0, async (x) => x), [1, 2, 3]);
  });
});
