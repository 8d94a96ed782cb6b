/**
 * What a capture (iperf3 or ping) says about one connection across a live migration, and the
 * gap arithmetic both kinds share.
 */

/** One measurement: `t` in ms since capture start; `value` Gbit/s (iperf3) or RTT ms (ping, NaN = lost). */
export interface Sample {
  t: number;
  value: number;
}

/** A span without data, in ms since capture start. */
export interface Gap {
  startMs: number;
  endMs: number;
}

/** The migration window, in ms since capture start. */
export type Window = Gap;

export interface Analysis {
  kind: 'iperf3' | 'ping';
  survived: boolean;
  /** Length of the longest gap; NaN when the capture cannot place anything in time. */
  downtimeMs: number;
  /** Granularity of `downtimeMs`: the report interval (iperf3) or probe spacing (ping); NaN if unknown. */
  resolutionMs: number;
  retransmits: number | null;
  throughputBeforeGbps: number | null;
  throughputAfterGbps: number | null;
  error: string | null;
  samples: Sample[];
  gaps: Gap[];
  /** Epoch ms of t = 0 when the capture states it (iperf3 JSON: whole seconds; ping -D: µs), else null. */
  startedAtMs: number | null;
}

/**
 * A stretch of the capture and the share of it that carried data: an iperf3 interval's rate over the
 * capture's usual rate, or 1 for an answered ping and 0 for a lost one.
 */
export interface Slot {
  startMs: number;
  endMs: number;
  fill: number;
}

/**
 * Turns slots, fed in time order, into gaps. A gap is a run of slots that are mostly empty (fill < ½)
 * plus any holes between slots longer than `toleranceMs`. Its length is the data-less time of the run
 * and of the two slots around it: an outage rarely starts or ends on a report boundary, so counting
 * only empty slots would undercount by up to two slots (a 1.5 s pause under `-i 1` leaves no
 * zero-byte interval at all). The gap is placed as if it began in the tail of the slot before it.
 */
export class GapFinder {
  private readonly gaps: Gap[] = [];
  private lastEndMs = 0;
  private lastDeadMs = 0;
  private run: { startMs: number; deadMs: number } | undefined;

  constructor(private readonly toleranceMs: number) {}

  add(slot: Slot): void {
    this.hole(slot.startMs);
    const deadMs = (1 - Math.min(1, slot.fill)) * (slot.endMs - slot.startMs);
    if (slot.fill < 0.5) this.extend(slot.startMs, deadMs);
    else this.close(deadMs);
    this.lastEndMs = Math.max(this.lastEndMs, slot.endMs);
    this.lastDeadMs = deadMs;
  }

  /** Ends the capture at `endMs`; silence after the last slot counts as a gap. */
  finish(endMs: number): Gap[] {
    this.hole(endMs);
    this.close(0);
    return this.gaps;
  }

  private hole(untilMs: number): void {
    if (untilMs - this.lastEndMs > this.toleranceMs) this.extend(this.lastEndMs, untilMs - this.lastEndMs);
  }

  private extend(startMs: number, deadMs: number): void {
    if (this.run === undefined) this.run = { startMs: startMs - this.lastDeadMs, deadMs: this.lastDeadMs };
    this.run.deadMs += deadMs;
  }

  private close(nextDeadMs: number): void {
    if (this.run === undefined) return;
    this.gaps.push({ startMs: this.run.startMs, endMs: this.run.startMs + this.run.deadMs + nextDeadMs });
    this.run = undefined;
  }
}

export function longestGapMs(gaps: readonly Gap[]): number {
  return gaps.reduce((longest, g) => Math.max(longest, g.endMs - g.startMs), 0);
}

/** NaN for no values. Sorts a typed copy: O(n log n) even for hundreds of thousands of values. */
export function median(values: ArrayLike<number>): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Lines of `text` without splitting it into one big array first; tolerates CRLF. */
export function* lines(text: string): Generator<string> {
  let from = 0;
  while (from < text.length) {
    let to = text.indexOf('\n', from);
    if (to === -1) to = text.length;
    yield text.charCodeAt(to - 1) === 13 ? text.slice(from, to - 1) : text.slice(from, to);
    from = to + 1;
  }
}

/**
 * `lines()` for text that arrives in chunks: the same lines, whatever the chunk boundaries (a line,
 * or its CR LF, may be split across chunks). Holds only the unfinished last line between chunks.
 */
export class LineSplitter {
  /** The unfinished last line, in pieces: one endless line must not be copied on every chunk. */
  private pieces: string[] = [];

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: string): void {
    let to = chunk.indexOf('\n');
    if (to === -1) {
      if (chunk !== '') this.pieces.push(chunk);
      return;
    }
    let from = 0;
    if (this.pieces.length > 0) {
      this.pieces.push(chunk.slice(0, to));
      this.emit(this.pieces.join(''));
      this.pieces = [];
      from = to + 1;
      to = chunk.indexOf('\n', from);
    }
    for (; to !== -1; to = chunk.indexOf('\n', from)) {
      this.onLine(chunk.charCodeAt(to - 1) === 13 && to > from ? chunk.slice(from, to - 1) : chunk.slice(from, to));
      from = to + 1;
    }
    if (from < chunk.length) this.pieces.push(chunk.slice(from));
  }

  end(): void {
    if (this.pieces.length > 0) this.emit(this.pieces.join(''));
    this.pieces = [];
  }

  private emit(line: string): void {
    this.onLine(line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line);
  }
}
