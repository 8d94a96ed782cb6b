import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { UnreadableCapture, analyzeFile, analyzeStream, analyzeText, type Analysis } from '../../src/analysis/analyze.ts';
import { LineSplitter, lines } from '../../src/analysis/downtime.ts';

// ---------------------------------------------------------------------------------------------
// Real captures: see test/fixtures/captures/README.md for how each was made and the figures below.
// ---------------------------------------------------------------------------------------------

const capture = (file: string): Analysis => analyzeText(readFileSync(new URL(`../fixtures/captures/${file}`, import.meta.url), 'utf8'), file);

/** Known durations, ms, as the recording scripts printed them. */
const PAUSE_JSON = 1575.1;
const PAUSE_TEXT = 1507.2;
const PAUSE_TEXT_I1 = 1511.4;
const DROP_IPERF3 = 1511.6;
const DROP_PING_D = 1022.7;
const DROP_PING_D_FROM = 1795690721979.0;
const DROP_PING_D_UNTIL = 1795690723001.7;
const DROP_PING_NO_D = 1013.2;

/**
 * Beyond the resolution, the recorded durations overstate the real ones by the fork/exec of the
 * `date` and `tc`/`kill` around them (a few ms each on an idle machine, more while iperf3 keeps both
 * vCPUs busy), and the pinned 2 × 256 KB socket buffers absorb ~4 ms of data at 1 Gbit/s after a
 * pause begins. 25 ms covers that; a wrong interval count would be off by ≥ one resolution.
 */
const TOLERANCE_MS = 25;
/** Linux never retransmits sooner than this (TCP_RTO_MIN). */
const RTO_MIN_MS = 200;

function near(actual: number, expected: number, tolerance: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual.toFixed(1)} is not within ${tolerance.toFixed(1)} of ${expected}`);
}

function assertDowntimeIsPause(a: Analysis, pauseMs: number): void {
  near(a.downtimeMs, pauseMs, a.resolutionMs + TOLERANCE_MS, 'downtime vs known pause');
}

describe('analyzer: iperf3 captures', () => {
  it('--json -i 0.1, server paused 1.58 s: survived, downtime is the pause within one interval', () => {
    const a = capture('iperf3-pause-i0.1.json');
    assert.equal(a.kind, 'iperf3');
    assert.equal(a.survived, true);
    assert.equal(a.error, null);
    near(a.resolutionMs, 100, 1, 'resolution');
    assertDowntimeIsPause(a, PAUSE_JSON);
    assert.equal(a.gaps.length, 1, 'only the pause is a gap');
    assert.equal(a.samples.length, 60);
    assert.equal(a.startedAtMs, 1795690558000);
  });

  it('text -i 0.1, server paused 1.51 s: survived, downtime is the pause within one interval', () => {
    const a = capture('iperf3-pause-i0.1.txt');
    assert.equal(a.survived, true);
    assert.equal(a.error, null);
    near(a.resolutionMs, 100, 0.001, 'resolution');
    assertDowntimeIsPause(a, PAUSE_TEXT);
    assert.equal(a.samples.length, 60, 'the sender/receiver totals are not intervals');
  });

  it('text -i 1: the pause leaves no zero-byte interval, yet downtime is within one interval of it', () => {
    const a = capture('iperf3-pause-i1.txt');
    assert.equal(a.survived, true);
    assert.equal(a.resolutionMs, 1000);
    assert.ok(a.downtimeMs > 0, 'a 512 KByte second among 119 MByte ones is an outage');
    assertDowntimeIsPause(a, PAUSE_TEXT_I1);
  });

  it('JSON and text of the paused runs agree', () => {
    const json = capture('iperf3-pause-i0.1.json');
    const text = capture('iperf3-pause-i0.1.txt');
    assert.equal(json.survived, text.survived);
    assert.equal(json.error, text.error);
    near(json.resolutionMs, text.resolutionMs, 1, 'resolution');
    near(json.throughputAfterGbps!, text.throughputAfterGbps!, 0.05, 'throughput after');
    near(json.throughputBeforeGbps!, text.throughputBeforeGbps!, 0.05, 'throughput before');
    // The two runs' pauses differ by 68 ms; their downtimes should differ by about as much.
    near(json.downtimeMs - text.downtimeMs, PAUSE_JSON - PAUSE_TEXT, json.resolutionMs, 'difference of downtimes');
  });

  it('--json, server killed: judged broken from the "error" field although the client exited 0', () => {
    const a = capture('iperf3-kill.json');
    assert.equal(a.survived, false);
    assert.equal(a.error, 'control socket has closed unexpectedly');
    assert.ok(a.samples.at(-1)!.value > 0.5, 'the last interval still carried data: only the error tells');
  });

  it('text, server killed (exit 1): broken, same error as JSON, repeated last interval counted once', () => {
    const text = capture('iperf3-kill.txt');
    const json = capture('iperf3-kill.json');
    assert.equal(text.survived, false);
    assert.equal(text.error, json.error);
    near(text.resolutionMs, json.resolutionMs, 1, 'resolution');
    for (const a of [text, json]) {
      const t = a.samples.map((s) => s.t);
      assert.deepEqual(t, [...new Set(t)].sort((x, y) => x - y), 'one sample per interval, in order');
    }
    assert.equal(text.samples.length, 20);
    assert.equal(json.samples.length, 19);
  });

  it('stopped with SIGINT (exit 1, "error": "interrupt - …"): the capture ended, the connection did not fail', () => {
    const json = capture('iperf3-interrupted.json');
    const text = capture('iperf3-interrupted.txt');
    for (const a of [json, text]) {
      assert.equal(a.survived, true);
      assert.equal(a.error, null);
      assert.equal(a.downtimeMs, 0);
      assert.equal(a.samples.length, 30);
    }
  });

  it('network dropped 1.51 s: survived; TCP backoff keeps it silent longer, but under 2 × drop + RTO', () => {
    // Retransmissions go out at RTO·(2^k − 1) after the first loss, so the first one after the drop
    // ends comes less than drop + RTO later.
    const a = capture('iperf3-drop-i0.1.json');
    assert.equal(a.survived, true);
    assert.ok(a.retransmits! > 0, `retransmits ${a.retransmits}`);
    assert.ok(a.downtimeMs >= DROP_IPERF3 - a.resolutionMs, `downtime ${a.downtimeMs} shorter than the drop`);
    assert.ok(a.downtimeMs <= 2 * DROP_IPERF3 + RTO_MIN_MS + a.resolutionMs, `downtime ${a.downtimeMs} beyond backoff`);
  });

  it('before/after throughput: first and last third by default, outside the window when given', () => {
    const plain = capture('iperf3-pause-i0.1.json');
    near(plain.throughputBeforeGbps!, (plain.samples.slice(0, 20).reduce((s, x) => s + x.value, 0)) / 20, 1e-9, 'first third');
    const text = readFileSync(new URL('../fixtures/captures/iperf3-pause-i0.1.json', import.meta.url), 'utf8');
    const windowed = analyzeText(text, 'pause', { startMs: 1900, endMs: 4000 });
    near(windowed.throughputBeforeGbps!, 1.0, 0.01, 'before the window: the steady 1 Gbit/s');
    assert.ok(windowed.throughputBeforeGbps! > plain.throughputBeforeGbps!, 'the stalled interval is left out');
    near(windowed.throughputAfterGbps!, 1.0, 0.01, 'after the window: catch-up burst left out');
  });
});

describe('analyzer: ping captures', () => {
  it('-D -O -i 0.01, replies dropped 1.02 s: survived, downtime ≈ the drop, placed where it was', () => {
    const a = capture('ping-drop-i0.01.txt');
    assert.equal(a.kind, 'ping');
    assert.equal(a.survived, true);
    near(a.resolutionMs, 16, 2, 'probe spacing (ping -i 0.01 really sends every ~16 ms here)');
    assertDowntimeIsPause(a, DROP_PING_D);
    const gap = a.gaps.reduce((l, g) => (g.endMs - g.startMs > l.endMs - l.startMs ? g : l));
    near(a.startedAtMs! + gap.startMs, DROP_PING_D_FROM, a.resolutionMs + TOLERANCE_MS, 'gap start (epoch ms)');
    near(a.startedAtMs! + gap.endMs, DROP_PING_D_UNTIL, a.resolutionMs + TOLERANCE_MS, 'gap end (epoch ms)');
    assert.equal(a.samples.length, 238, 'one sample per probe transmitted');
    assert.equal(a.samples.filter((s) => Number.isNaN(s.value)).length, 238 - 181, 'lost probes are NaN');
    a.samples.slice(1).forEach((s, i) => {
      const step = (s.t - a.samples[i]!.t) / a.resolutionMs;
      assert.ok(step > 0.5 && step < 3, `probe ${i + 1} left ${step.toFixed(2)} intervals after the one before`);
    });
  });

  it('without -D: interval from the summary, downtime = lost probes × interval', () => {
    const a = capture('ping-drop-i0.2-noD.txt');
    assert.equal(a.survived, true);
    near(a.resolutionMs, 4914 / 24, 1e-9, 'resolution = time / (transmitted − 1)');
    near(a.downtimeMs, 5 * a.resolutionMs, 1e-9, 'five probes lost');
    assertDowntimeIsPause(a, DROP_PING_NO_D);
    assert.equal(a.startedAtMs, null);
  });
});

describe('analyzer: unreadable input', () => {
  const cases: [string, string, RegExp][] = [
    ['empty', '', /empty/],
    ['blank', ' \n\t\n', /empty/],
    ['random bytes', randomBytes(2048).toString('utf8'), /binary/],
    ['prose', 'The VM migrated at 10:02.\nNobody noticed any drop.\n', /neither iperf3 nor ping/],
    ['truncated JSON', readFileSync(new URL('../fixtures/captures/iperf3-kill.json', import.meta.url), 'utf8').slice(0, 3000), /truncated or malformed JSON/],
    ['other JSON', '{"apiVersion": "v1", "kind": "Pod"}', /not iperf3/],
    ['JSON with bad intervals', '{"start": {}, "intervals": [{"sum": {"start": "0"}}]}', /not iperf3/],
  ];
  for (const [label, input, problem] of cases) {
    it(`${label}: UnreadableCapture with a one-line message naming the capture and the problem`, () => {
      assert.throws(
        () => analyzeText(input, `${label}.out`),
        (err: unknown) => {
          assert.ok(err instanceof UnreadableCapture, `${String(err)} is an UnreadableCapture`);
          assert.equal(err.name, 'UnreadableCapture');
          assert.ok(err.message.startsWith(`${label}.out: `), err.message);
          assert.match(err.message.slice(`${label}.out: `.length), problem);
          assert.ok(!err.message.includes('\n'), 'one line');
          return true;
        },
      );
    });
  }

  it('the same inputs as files, streamed by analyzeFile: the same messages', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'udn-analyzer-'));
    for (const [label, input] of cases) {
      const path = join(dir, label);
      writeFileSync(path, input);
      await assert.rejects(analyzeFile(path, `${label}.out`), (err: unknown) => {
        assert.ok(err instanceof UnreadableCapture, `${label}: ${String(err)} is an UnreadableCapture`);
        assert.equal(err.message, captureError(() => analyzeText(input, `${label}.out`)));
        return true;
      });
    }
  });

  it('a file that cannot be read: the file system\'s error, with its code', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'udn-analyzer-'));
    await assert.rejects(analyzeFile(join(dir, 'missing.log')), { code: 'ENOENT' });
    await assert.rejects(analyzeFile(dir), { code: 'EISDIR' });
  });
});

function captureError(f: () => unknown): string {
  try {
    f();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('did not throw');
}

describe('analyzer: streamed (analyzeFile, analyzeStream)', () => {
  const fixtures = readdirSync(new URL('../fixtures/captures/', import.meta.url)).filter((f) => !f.endsWith('.md'));
  const fixtureText = (file: string) => readFileSync(new URL(`../fixtures/captures/${file}`, import.meta.url), 'utf8');
  async function* inChunks(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
    for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
  }

  it('analyzeFile judges every real capture exactly as analyzeText does', async () => {
    for (const file of fixtures) {
      const path = fileURLToPathOf(file);
      assert.deepEqual(await analyzeFile(path, file), analyzeText(fixtureText(file), file), file);
    }
    const window = (startedAtMs: number | null) => (startedAtMs === null ? undefined : { startMs: 1900, endMs: 4000 });
    const json = 'iperf3-pause-i0.1.json';
    assert.deepEqual(await analyzeFile(fileURLToPathOf(json), json, window), analyzeText(fixtureText(json), json, window), 'with a window');
  });

  it('chunks split anywhere (inside a UTF-8 character, between CR and LF) change nothing', async () => {
    const text = fixtureText('ping-drop-i0.01.txt').replace('PING 203.203.0.5 (', 'PING vm-b.grün.example (').replaceAll('\n', '\r\n');
    const whole = analyzeText(text);
    for (const size of [1, 2, 3, 5, 64]) assert.deepEqual(await analyzeStream(inChunks(Buffer.from(text), size)), whole, `${size}-byte chunks`);
  });

  it('captures longer than the 64 KiB that tell their kind: read as a stream, judged as a whole', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'udn-analyzer-'));
    const reply = (at: number, seq: number) => `[${at.toFixed(6)}] 64 bytes from 10.0.0.5: icmp_seq=${seq % 65536} ttl=64 time=0.412 ms`;
    const overdue = (at: number, seq: number) => `[${at.toFixed(6)}] no answer yet for icmp_seq=${seq % 65536}`;
    const probes = Array.from({ length: 20_000 }, (_, i) => (i >= 9_000 && i < 9_070 ? overdue(100 + (i + 1) * 0.01, i + 1) : reply(100 + i * 0.01, i + 1)));
    const doc = JSON.parse(fixtureText('iperf3-pause-i0.1.json')) as { intervals: { sum: { start: number; end: number } }[] };
    const one = doc.intervals;
    doc.intervals = Array.from({ length: 20 }, (_, k) => one.map((i) => ({ ...i, sum: { ...i.sum, start: i.sum.start + 6 * k, end: i.sum.end + 6 * k } }))).flat();
    const captures = {
      'ping.log': ['PING 10.0.0.5 (10.0.0.5) 56(84) bytes of data.', ...probes].join('\n'),
      'ping-after-blank-head.log': `${' \n'.repeat(70_000)}${fixtureText('ping-drop-i0.01.txt')}`,
      'iperf3.txt': fixtureText('iperf3-pause-i0.1.txt').repeat(30),
      'iperf3.json': JSON.stringify(doc, null, '\t'),
    };
    for (const [file, text] of Object.entries(captures)) {
      assert.ok(text.length > 2 * 65536, `${file} is longer than the head`);
      writeFileSync(join(dir, file), text);
      const whole = analyzeText(text, file);
      assert.deepEqual(await analyzeFile(join(dir, file), file), whole, file);
      assert.deepEqual(await analyzeStream(inChunks(Buffer.from(text), 4093), file), whole, `${file} in odd chunks`);
    }
    near(analyzeText(captures['ping.log']).downtimeMs, 700, 1, 'the 70 lost probes');
  });

  it('LineSplitter: the lines of lines(), wherever the chunks break', () => {
    const text = 'a\r\nbc\n\n\r\nd\r\re\n\rf\r';
    const expected = [...lines(text)];
    for (let i = 0; i <= text.length; i++) {
      for (let j = i; j <= text.length; j++) {
        const got: string[] = [];
        const splitter = new LineSplitter((line) => got.push(line));
        for (const chunk of [text.slice(0, i), text.slice(i, j), text.slice(j)]) splitter.push(chunk);
        splitter.end();
        assert.deepEqual(got, expected, `split at ${i} and ${j}`);
      }
    }
  });
});

function fileURLToPathOf(file: string): string {
  return new URL(`../fixtures/captures/${file}`, import.meta.url).pathname;
}

describe('analyzer: synthetic edge cases', () => {
  const iperf3Lines = (intervals: readonly string[]) =>
    ['Connecting to host 10.0.0.5, port 5201', '[ ID] Interval           Transfer     Bitrate         Retr  Cwnd', ...intervals.map((i) => `[  5]   ${i}`)].join('\n');
  const iperf3Text = (...intervals: string[]) => iperf3Lines(intervals);
  const full = (from: number) => `${from}.00-${from + 1}.00   sec  1.10 GBytes  9.45 Gbits/sec    0   3.12 MBytes`;
  const empty = (from: number) => `${from}.00-${from + 1}.00   sec  0.00 Bytes  0.00 bits/sec    2   1.41 KBytes`;

  it('iperf3 --json with no intervals (server unreachable): broken, nothing measurable', () => {
    const a = analyzeText('\n{"start": {"connected": []}, "intervals": [], "end": {}, "error": "error - unable to connect to server: Connection refused"}');
    assert.equal(a.survived, false);
    assert.match(a.error!, /unable to connect/);
    assert.ok(Number.isNaN(a.downtimeMs) && Number.isNaN(a.resolutionMs));
    assert.deepEqual([a.samples, a.gaps, a.retransmits, a.throughputBeforeGbps], [[], [], null, null]);
  });

  it('iperf3 text with no intervals and no error: not survived (no interval carried data)', () => {
    const a = analyzeText(iperf3Text());
    assert.equal(a.survived, false);
    assert.equal(a.error, null);
    assert.ok(Number.isNaN(a.downtimeMs));
  });

  it('all-zero intervals: not survived, the whole run is one gap', () => {
    const a = analyzeText(iperf3Text(empty(0), empty(1), empty(2)));
    assert.equal(a.survived, false);
    assert.deepEqual(a.gaps, [{ startMs: 0, endMs: 3000 }]);
    assert.equal(a.downtimeMs, 3000);
    assert.equal(a.retransmits, 6);
  });

  it('a missing interval in the middle is downtime; the run survived', () => {
    const a = analyzeText(iperf3Text(full(0), full(1), full(3), full(4)));
    assert.equal(a.survived, true);
    assert.deepEqual(a.gaps, [{ startMs: 2000, endMs: 3000 }]);
    assert.equal(a.downtimeMs, 1000);
  });

  it('an outage starting and ending mid-interval: the shortfall of the intervals around it counts', () => {
    const a = analyzeText(
      iperf3Text(
        full(0),
        '1.00-2.00   sec   677 MBytes  5.67 Gbits/sec    0   3.12 MBytes',
        empty(2),
        '3.00-4.00   sec   790 MBytes  6.62 Gbits/sec    0   3.12 MBytes',
        full(4),
        full(5),
      ),
    );
    assert.equal(a.gaps.length, 1);
    // 9.45 Gbit/s is the usual (median) rate; 5.67 and 6.62 are 60 % and 70 % of it.
    near(a.gaps[0]!.startMs, 1600, 1, 'began 60 % into 1.00-2.00');
    near(a.downtimeMs, 400 + 1000 + 300, 1, '40 % + 100 % + 30 % of a second');
  });

  it('a zero-byte last interval means the connection did not survive', () => {
    assert.equal(analyzeText(iperf3Text(full(0), full(1), empty(2))).survived, false);
  });

  it('text sizes and rates: every unit, read exactly', () => {
    const a = analyzeText(
      iperf3Text(
        '0.00-1.00   sec  1.10 GBytes  9.45 Gbits/sec    0   3.12 MBytes',
        '1.00-2.00   sec   512 KBytes  4.19 Mbits/sec    0   1023 KBytes',
        '2.00-3.00   sec  62.5 KBytes   512 Kbits/sec    0   1023 KBytes',
        '3.00-4.00   sec   100 Bytes    800 bits/sec    7   1023 KBytes',
        '4.00-5.00   sec  0.00 Bytes  0.00 bits/sec    0   1023 KBytes',
        '5.00-6.00   sec  1.00 TBytes  8.80 Tbits/sec    0   1023 KBytes',
      ),
    );
    const expected = [9.45, 0.00419, 0.000512, 0.0000008, 0, 8800];
    a.samples.forEach((s, i) => near(s.value, expected[i]!, expected[i]! * 1e-12, `Gbit/s of interval ${i}`));
    assert.equal(a.retransmits, 7);
    assert.equal(a.survived, true, '1.00 TBytes is data');
  });

  it('[SUM] lines stand for the connection when there are several streams', () => {
    const a = analyzeText(
      [
        'Connecting to host 10.0.0.5, port 5201',
        '[  5]   0.00-1.00   sec  1.00 GBytes  8.00 Gbits/sec    0   3.12 MBytes',
        '[  7]   0.00-1.00   sec  1.00 GBytes  8.00 Gbits/sec    0   3.12 MBytes',
        '[SUM]   0.00-1.00   sec  2.00 GBytes  16.0 Gbits/sec    4',
      ].join('\n'),
    );
    assert.deepEqual(a.samples, [{ t: 0, value: 16 }]);
    assert.equal(a.retransmits, 4, '[SUM] lines carry Retr without Cwnd');
  });

  const pingText = (lines: readonly string[]) => ['PING 10.0.0.5 (10.0.0.5) 56(84) bytes of data.', ...lines].join('\n');
  const pingLines = (...lines: string[]) => pingText(lines);
  const reply = (at: number, seq: number, rtt = 0.05) => `[${at.toFixed(6)}] 64 bytes from 10.0.0.5: icmp_seq=${seq} ttl=64 time=${rtt} ms`;
  const overdue = (at: number, seq: number) => `[${at.toFixed(6)}] no answer yet for icmp_seq=${seq}`;

  it('ping: the last probes unanswered means not survived, and the silence until the end is a gap', () => {
    const a = analyzeText(pingLines(reply(100.0, 1), reply(100.2, 2), overdue(100.6, 3), overdue(100.8, 4), overdue(101.0, 5)));
    assert.equal(a.survived, false);
    assert.equal(a.gaps.length, 1);
    // t counts from seq 1's departure, 0.05 ms (its RTT) before its reply was stamped.
    near(a.gaps[0]!.startMs, 400.05, 1e-6, 'gap starts when the reply after seq 2 was due');
    near(a.downtimeMs, 600, 1e-6, 'silent until the last line');
  });

  it('ping: one unanswered probe at the end is the one in flight when ping stopped; survived', () => {
    const text = pingLines(reply(100.0, 1), reply(100.2, 2), reply(100.4, 3)) + '\n\n--- 10.0.0.5 ping statistics ---\n4 packets transmitted, 3 received, 25% packet loss, time 601ms';
    const a = analyzeText(text);
    assert.equal(a.survived, true);
    assert.equal(a.samples.length, 4);
    assert.equal(a.downtimeMs, 0);
  });

  it('ping: icmp_seq wrapping past 65535 is not a gap', () => {
    const a = analyzeText(pingLines(reply(100.0, 65534), reply(100.2, 65535), reply(100.4, 0), reply(100.6, 1)));
    assert.equal(a.survived, true);
    assert.equal(a.samples.length, 4);
    assert.deepEqual(a.gaps, []);
  });

  it('ping: replies released late in one burst still count as the outage', () => {
    // As seen with `ip link set down`: probes 3–6 queued for 1 s, then answered together.
    const a = analyzeText(
      pingLines(reply(100.0, 1), reply(100.2, 2), overdue(100.6, 3), overdue(100.8, 4), reply(101.4, 3, 1000), reply(101.4, 4, 800), reply(101.4, 5, 600), reply(101.4, 6, 400), reply(101.6, 7)),
    );
    assert.equal(a.survived, true);
    assert.ok(a.samples.every((s) => !Number.isNaN(s.value)), 'no probe was lost');
    near(a.downtimeMs, 1000, 1e-6, 'from the reply due at 100.4 to the burst at 101.4');
  });

  it('ping: a duplicate reply during an outage does not end it', () => {
    const a = analyzeText(pingLines(reply(100.0, 1), reply(100.2, 2), overdue(100.6, 3), `${reply(100.7, 2, 500)} (DUP!)`, overdue(100.8, 4), overdue(101.0, 5), reply(101.2, 6)));
    assert.equal(a.survived, true);
    assert.equal(a.gaps.length, 1);
    near(a.downtimeMs, 800, 1e-6, 'from the reply due at 100.4 to the reply at 101.2');
    assert.equal(a.samples[1]!.value, 0.05, 'the first reply keeps its RTT');
  });

  it('ping without -D or summary: survival decided, times unknown (NaN resolution and downtime)', () => {
    const a = analyzeText('64 bytes from 10.0.0.5: icmp_seq=1 ttl=64 time=0.5 ms\n64 bytes from 10.0.0.5: icmp_seq=3 ttl=64 time=0.5 ms\n');
    assert.equal(a.survived, true);
    assert.ok(Number.isNaN(a.resolutionMs) && Number.isNaN(a.downtimeMs));
    assert.deepEqual(a.samples.map((s) => s.value), [0.5, Number.NaN, 0.5]);
  });

  it('ping that could not start: not survived, its error kept', () => {
    const a = analyzeText('ping: connect: Network is unreachable\n');
    assert.equal(a.survived, false);
    assert.equal(a.error, 'connect: Network is unreachable');
  });

  it('scales linearly: 360,000 ping lines and 36,000 iperf3 intervals in seconds', () => {
    const probes: string[] = [];
    for (let seq = 1; seq <= 360_000; seq++) {
      const at = 1732612345 + seq * 0.01;
      probes.push(seq % 1000 < 50 && seq > 1000 ? overdue(at + 0.01, seq % 65536) : reply(at, seq % 65536));
    }
    const intervals = Array.from({ length: 36_000 }, (_, i) => (i % 500 < 5 ? empty(i) : full(i)));
    const started = performance.now();
    const ping = analyzeText(pingText(probes));
    const iperf3 = analyzeText(iperf3Lines(intervals));
    const elapsed = performance.now() - started;
    near(ping.downtimeMs, 500, 1, 'ping: 50 lost probes');
    assert.equal(iperf3.gaps.length, 72);
    assert.equal(iperf3.downtimeMs, 5000);
    // Linear work takes ~1 s here; anything quadratic would take hours.
    assert.ok(elapsed < 15_000, `took ${elapsed.toFixed(0)} ms`);
  });
});
