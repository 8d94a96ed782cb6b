/**
 * iperf3 client output, `--json` or text, reduced to intervals and judged.
 *
 * Survived: no error reported AND the last interval carried data. The JSON case matters: a client
 * whose server dies mid-run still exits 0 with `--json`; only the document's "error" field says so.
 * An interrupt (SIGINT/SIGTERM, which is how a capture is usually ended) is not an error of the
 * connection, although iperf3 puts it in the same "error" field and exits 1.
 */
import { GapFinder, lines, longestGapMs, median, type Analysis, type Sample, type Window } from './downtime.ts';

interface Interval {
  startMs: number;
  endMs: number;
  bytes: number;
  gbps: number;
  /** Sender side only; a receiver (`-R`) has none. */
  retransmits: number | null;
}

export interface Iperf3Run {
  intervals: Interval[];
  error: string | null;
  startedAtMs: number | null;
}

/** A line that only iperf3 prints: tells a text capture's kind. */
export const IPERF3_TEXT_MARKER = /^(?:Connecting to host |Server listening on |iperf3: )|\[\s*(?:\d+|SUM)\]\s+\d+\.\d+-\d+\.\d+\s+sec/;

const INTERVAL_LINE =
  /\[\s*(\d+|SUM)\]\s+(\d+\.\d+)-(\d+\.\d+)\s+sec\s+(\d+(?:\.\d+)?) ([KMGT]?)Bytes\s+(\d+(?:\.\d+)?) ([KMGT]?)bits\/sec(?:\s+(\d+)(?![\d.]))?/;
const ERROR_LINE = /^iperf3: error - (.*)$/;
const INTERRUPT = /^interrupt - /;
/** iperf3 prints sizes in powers of 1024 and rates in powers of 1000. */
const BYTE_UNIT: Record<string, number> = { '': 1, K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 };
const BIT_UNIT: Record<string, number> = { '': 1, K: 1e3, M: 1e6, G: 1e9, T: 1e12 };

/** undefined when the document is not shaped like iperf3 output. */
export function runFromJson(doc: unknown): Iperf3Run | undefined {
  if (!isRecord(doc) || !isRecord(doc.start) || !Array.isArray(doc.intervals)) return undefined;
  const intervals: Interval[] = [];
  for (const entry of doc.intervals) {
    const sum = isRecord(entry) ? entry.sum : undefined;
    if (!isRecord(sum) || !isNumber(sum.start) || !isNumber(sum.end) || !isNumber(sum.bytes) || !isNumber(sum.bits_per_second)) {
      return undefined;
    }
    append(intervals, {
      startMs: sum.start * 1000,
      endMs: sum.end * 1000,
      bytes: sum.bytes,
      gbps: sum.bits_per_second / 1e9,
      retransmits: isNumber(sum.retransmits) ? sum.retransmits : null,
    });
  }
  const timestamp = doc.start.timestamp;
  return {
    intervals,
    error: typeof doc.error === 'string' && !INTERRUPT.test(doc.error) ? doc.error : null,
    startedAtMs: isRecord(timestamp) && isNumber(timestamp.timesecs) ? timestamp.timesecs * 1000 : null,
  };
}

export function runFromText(text: string): Iperf3Run {
  const reader = new Iperf3TextReader();
  for (const line of lines(text)) reader.line(line);
  return reader.finish();
}

/** runFromText one line at a time, for a capture read as a stream: keeps the intervals, not the text. */
export class Iperf3TextReader {
  // With -P n, per-stream lines share their times; the [SUM] lines are the connection total.
  private readonly perStream: Interval[] = [];
  private readonly summed: Interval[] = [];
  private streamId: string | undefined;
  private error: string | null = null;

  line(line: string): void {
    const failure = ERROR_LINE.exec(line);
    if (failure) this.error ??= failure[1]!;
    const m = INTERVAL_LINE.exec(line);
    if (!m) return;
    const [, id, start, end, size, sizeUnit, rate, rateUnit, retr] = m;
    const interval: Interval = {
      startMs: Number(start) * 1000,
      endMs: Number(end) * 1000,
      bytes: Number(size) * BYTE_UNIT[sizeUnit!]!,
      gbps: (Number(rate) * BIT_UNIT[rateUnit!]!) / 1e9,
      retransmits: retr === undefined ? null : Number(retr),
    };
    if (id === 'SUM') append(this.summed, interval);
    else if ((this.streamId ??= id) === id) append(this.perStream, interval);
  }

  finish(): Iperf3Run {
    return { intervals: this.summed.length > 0 ? this.summed : this.perStream, error: this.error, startedAtMs: null };
  }
}

/**
 * Before/after throughput: the mean rate of the intervals wholly outside `window`; without a window,
 * of the first and last third of the intervals. Gaps and downtime: see GapFinder, fed each interval's
 * rate over the capture's median rate; resolution is the median interval length.
 */
export function analyzeIperf3(run: Iperf3Run, window?: Window): Analysis {
  const { intervals } = run;
  const resolutionMs = median(intervals.map((i) => i.endMs - i.startMs));
  const usualGbps = median(intervals.filter((i) => i.bytes > 0).map((i) => i.gbps));
  const finder = new GapFinder(resolutionMs / 2);
  const samples: Sample[] = [];
  let retransmits: number | null = null;
  for (const i of intervals) {
    finder.add({ startMs: i.startMs, endMs: i.endMs, fill: i.bytes > 0 ? i.gbps / usualGbps : 0 });
    samples.push({ t: i.startMs, value: i.gbps });
    if (i.retransmits !== null) retransmits = (retransmits ?? 0) + i.retransmits;
  }
  const last = intervals.at(-1);
  const gaps = finder.finish(last?.endMs ?? 0);
  const third = Math.ceil(intervals.length / 3);
  const before = window ? intervals.filter((i) => i.endMs <= window.startMs) : intervals.slice(0, third);
  const after = window ? intervals.filter((i) => i.startMs >= window.endMs) : intervals.slice(intervals.length - third);
  return {
    kind: 'iperf3',
    survived: run.error === null && last !== undefined && last.bytes > 0,
    downtimeMs: last === undefined ? Number.NaN : longestGapMs(gaps),
    resolutionMs,
    retransmits,
    throughputBeforeGbps: meanGbps(before),
    throughputAfterGbps: meanGbps(after),
    error: run.error,
    samples,
    gaps,
    startedAtMs: run.startedAtMs,
  };
}

/**
 * iperf3 repeats the last interval when it stops on an error, and its closing totals (text) restart
 * at 0.00: neither may read as time passing.
 */
function append(intervals: Interval[], interval: Interval): void {
  const previous = intervals.at(-1);
  if (previous === undefined || interval.startMs >= previous.endMs - (previous.endMs - previous.startMs) / 2) {
    intervals.push(interval);
  }
}

function meanGbps(intervals: readonly Interval[]): number | null {
  return intervals.length === 0 ? null : intervals.reduce((sum, i) => sum + i.gbps, 0) / intervals.length;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}
