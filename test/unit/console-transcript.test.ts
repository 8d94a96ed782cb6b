import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TRANSCRIPT_LIMITS, Transcript } from '../../src/cluster/console/transcript.ts';
import type { ConsoleTail } from '../../src/model/heartbeat.ts';

describe('a console transcript', () => {
  it('keeps the last lines within its bounds, and counts every line it recorded', () => {
    const tails: Omit<ConsoleTail, 'attempt'>[] = [];
    const t = new Transcript((tail) => tails.push(tail));
    t.record('green/vm-a', '[fedora@vm-a ~]$ ping -c 3 203.203.0.6');
    assert.deepEqual(tails.at(-1), { seq: 1, lines: [{ vm: 'green/vm-a', text: '[fedora@vm-a ~]$ ping -c 3 203.203.0.6' }] });
    for (let i = 0; i < 100; i++) t.record('green/vm-a', `64 bytes from 203.203.0.6: icmp_seq=${i} ttl=64 time=0.5 ms\n${'x'.repeat(500)}\n`);
    const last = tails.at(-1)!;
    assert.equal(last.seq, 201, 'a record of several lines counts each');
    assert.ok(last.lines.length <= TRANSCRIPT_LIMITS.lines);
    assert.ok(JSON.stringify(last).length < TRANSCRIPT_LIMITS.bytes * 1.5, `${JSON.stringify(last).length} bytes`);
    assert.equal(last.lines.at(-1)!.text, 'x'.repeat(TRANSCRIPT_LIMITS.lineChars), 'a long line is cut');
    assert.equal(last.lines.at(-2)!.text, '64 bytes from 203.203.0.6: icmp_seq=99 ttl=64 time=0.5 ms');
  });

  it("takes out what would steer the terminal that shows it: escape sequences and control characters", () => {
    let tail: Omit<ConsoleTail, 'attempt'> | undefined;
    new Transcript((t) => (tail = t)).record('green/vm-a', 'a\x1b[2J\x1b[31mred\x1b[0m\x07b\r\nnext\ttab');
    assert.deepEqual(tail!.lines.map((l) => l.text), ['aredb', 'next\ttab']);
  });
});
