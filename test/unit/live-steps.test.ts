import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ConsoleTail } from '../../src/model/heartbeat.ts';
import type { DemoResult, StepRecord } from '../../src/model/result.ts';
import { consoleFollower, consoleLine } from '../../src/cli/run/console-lines.ts';
import { heartbeatDetails, type PendingActivity } from '../../src/cli/run/pending.ts';
import { stepsFrame, type FrameInput } from '../../src/cli/run/steps-frame.ts';
import { progressStyle } from '../../src/cli/terminal.ts';

const T0 = Date.parse('2026-02-01T10:00:00Z');
const at = (s: number) => new Date(T0 + s * 1000).toISOString();
const SGR = /\x1b\[\d+(;\d+)*m/;
const plain = progressStyle(false, { isTTY: true }, { NO_COLOR: '1' }).colors;
const colour = progressStyle(false, { isTTY: true }, {}).colors;

function step(id: string, state: StepRecord['state'], extra: Partial<StepRecord> = {}): StepRecord {
  return { id, title: `title of ${id}`, state, startedAt: null, endedAt: null, attempts: 1, outcome: '', ...extra };
}

function run(steps: StepRecord[], extra: Partial<DemoResult> = {}): DemoResult {
  return { workflowId: 'wf-1', runId: 'r', status: 'running', steps, checks: [], migration: null, ...extra };
}

function frame(progress: DemoResult, extra: Partial<FrameInput> = {}, colors = plain): string[] {
  return stepsFrame({ progress, activities: [], now: T0 + 42_500, columns: 200, rows: 40, ...extra }, colors);
}

const probes: PendingActivity = { id: '7', name: 'runProbes', attempt: 2, heartbeat: { progress: '3/8 probes settled; green/vm-a → green/vm-b icmp: pass' } };

describe('the live step list', () => {
  it('draws each state: passed, failed, skipped, running with its time and its activities, pending', () => {
    const lines = frame(
      run([
        step('preflight', 'succeeded', { startedAt: at(0), endedAt: at(1.5), outcome: 'tools found' }),
        step('ensure-cluster', 'skipped', { outcome: 'skipped by the operator' }),
        step('apply', 'failed', { startedAt: at(2), endedAt: at(3), outcome: 'apply refused', attempts: 3 }),
        step('check-east-west', 'running', { startedAt: at(0) }),
        step('report', 'pending'),
      ]),
      { activities: [probes] },
    );
    assert.deepEqual(lines, [
      '✓ [1/5] preflight (1.5 s) tools found',
      '↷ [2/5] ensure-cluster skipped by the operator',
      '✗ [3/5] apply (1.0 s) [3 attempts] apply refused',
      '▶ [4/5] check-east-west 42 s title of check-east-west',
      '    ↳ runProbes (attempt 2): 3/8 probes settled; green/vm-a → green/vm-b icmp: pass',
      '· [5/5] report title of report',
    ]);
  });

  it('says who the run waits for: the presenter before a step, an operator after a failed one', () => {
    const presenting = frame(run([step('preflight', 'succeeded'), step('check-egress', 'pending')], { presenter: { waitingBefore: 'check-egress' } }));
    assert.equal(presenting[1], '⏸ [2/2] check-egress waiting for the presenter (Enter, or udn-demo next wf-1)');
    const awaiting = { step: 'apply', reason: 'refused', since: at(0), deadline: at(3600) };
    const stuck = frame(run([step('apply', 'failed', { outcome: 'refused' }), step('report', 'pending')], { status: 'waiting', awaiting }));
    assert.deepEqual(stuck.slice(0, 2), ['✗ [1/2] apply refused', '    waiting for an operator: udn-demo retry|skip|cancel wf-1']);
  });

  it('colours the marks on a terminal; NO_COLOR draws the same text without a colour code', () => {
    const p = run([step('a', 'succeeded'), step('b', 'failed'), step('c', 'running', { startedAt: at(0) }), step('d', 'pending')]);
    const coloured = frame(p, {}, colour);
    assert.match(coloured[0]!, /^\x1b\[32m✓\x1b\[39m/, 'passed: green');
    assert.match(coloured[1]!, /^\x1b\[31m✗\x1b\[39m/, 'failed: red');
    assert.match(coloured[2]!, /^\x1b\[33m▶\x1b\[39m/, 'running: yellow');
    assert.match(coloured[3]!, /^\x1b\[2m·/, 'pending: dim');
    const uncoloured = frame(p);
    assert.ok(uncoloured.every((l) => !SGR.test(l)), uncoloured.join('\n'));
    assert.deepEqual(coloured.map((l) => l.replace(/\x1b\[\d+m/g, '')), uncoloured);
  });

  it('fits half the terminal: lines cut to its width, finished steps folded at the top and pending ones at the bottom', () => {
    const steps = [
      ...Array.from({ length: 10 }, (_, i) => step(`done-${i}`, i === 3 ? 'skipped' : 'succeeded')),
      step('now', 'running', { startedAt: at(0), title: 'x'.repeat(300) }),
      ...Array.from({ length: 10 }, (_, i) => step(`later-${i}`, 'pending')),
    ];
    const lines = frame(run(steps), { rows: 14, columns: 40 }, colour);
    const text = lines.map((l) => l.replace(/\x1b\[\d+m/g, ''));
    assert.equal(lines.length, 7, 'half the terminal');
    assert.deepEqual(
      text.map((l) => l.replace(/x+…$/, 'x…')),
      ['… 8 earlier steps: 7 passed, 1 skipped', '✓ [ 9/21] done-8 title of done-8', '✓ [10/21] done-9 title of done-9', '▶ [11/21] now 42 s x…', '· [12/21] later-0 title of later-0', '· [13/21] later-1 title of later-1', '… 8 more steps: 8 pending'],
    );
    assert.ok(text.every((l) => [...l].length <= 39), text.join('\n'));
  });
});

describe('progress style', () => {
  it('live on a terminal (colour unless NO_COLOR); plain lines when piped, with TERM=dumb or --json', () => {
    const tty = { isTTY: true };
    assert.deepEqual([progressStyle(false, tty, {}).live, progressStyle(false, tty, {}).colors.isColorSupported], [true, true]);
    assert.deepEqual([progressStyle(false, tty, { NO_COLOR: '1' }).live, progressStyle(false, tty, { NO_COLOR: '1' }).colors.isColorSupported], [true, false]);
    assert.equal(progressStyle(false, tty, { NO_COLOR: '' }).colors.isColorSupported, true, 'an empty NO_COLOR does not count');
    assert.equal(progressStyle(false, {}, {}).live, false);
    assert.equal(progressStyle(false, tty, { TERM: 'dumb' }).live, false);
    assert.equal(progressStyle(true, tty, {}).live, false);
    assert.equal(progressStyle(false, {}, {}).colors.green('x'), 'x', 'plain lines carry no colour');
  });
});

describe('console transcripts, as the follower prints them', () => {
  const tail = (attempt: number, seq: number, texts: string[]): ConsoleTail => ({ attempt, seq, lines: texts.map((text) => ({ vm: 'green/vm-a', text })) });
  const said = (events: ReturnType<ReturnType<typeof consoleFollower>>) => events.map((e) => ('text' in e ? e.text : e.missed));

  it('returns each line once, whichever way it came, counts lines that went by between two reads, and starts over on a retry', () => {
    const next = consoleFollower();
    assert.deepEqual(said(next('7', tail(1, 2, ['vm-a login: fedora', 'Password:']))), ['vm-a login: fedora', 'Password:']);
    assert.deepEqual(next('7', tail(1, 2, ['vm-a login: fedora', 'Password:'])), [], 'the same tail again (a heartbeat after the worker in this process): nothing new');
    assert.deepEqual(said(next('7', tail(1, 3, ['Password:', '[fedora@vm-a ~]$ ping -c 3 203.203.0.6']))), ['[fedora@vm-a ~]$ ping -c 3 203.203.0.6']);
    assert.deepEqual(said(next('7', tail(1, 9, ['line 8', 'line 9']))), [4, 'line 8', 'line 9']);
    // Attempt 2's first tail: its own transcript, even while its seq is below attempt 1's.
    assert.deepEqual(said(next('7', tail(2, 1, ['vm-a login: fedora']))), ['vm-a login: fedora']);
    assert.deepEqual(said(next('8', tail(1, 1, ['another activity']))), ['another activity']);
  });

  it('reads a heartbeat with a transcript', () => {
    const data = Buffer.from(JSON.stringify({ progress: 'p', console: tail(1, 1, ['x']) }));
    assert.deepEqual(heartbeatDetails(data), { progress: 'p', console: tail(1, 1, ['x']) });
  });

  it('prints a line as the VM and what its console showed; a gap says how much', () => {
    assert.equal(consoleLine({ vm: 'green/vm-a', text: '[fedora@vm-a ~]$ ping -c 3 203.203.0.6' }, plain), '  │ green/vm-a  [fedora@vm-a ~]$ ping -c 3 203.203.0.6');
    assert.equal(consoleLine({ missed: 4 }, plain), '  │ … 4 lines of console output not shown');
    assert.match(consoleLine({ vm: 'green/vm-a', text: 'x' }, colour), /\x1b\[36mgreen\/vm-a\x1b\[39m/);
  });

  it('reads details that are not ours as none', () => {
    assert.deepEqual(heartbeatDetails(Buffer.from('not json')), {});
    assert.deepEqual(heartbeatDetails(Buffer.from('null')), {});
    assert.deepEqual(heartbeatDetails(Buffer.from(JSON.stringify({ progress: 3, console: { seq: 1 } }))), {});
    assert.deepEqual(heartbeatDetails(undefined), {});
  });
});
