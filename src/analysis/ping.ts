/**
 * iputils ping output, ideally `ping -D -O`, reduced to probes and judged.
 *
 * Survived: some probe was answered and at most one probe follows the last answered one. One is
 * allowed because ping stopped by a signal has usually just sent a probe it never waited for; the
 * price is that an outage at the very end lasting under two probes goes unseen.
 *
 * With -D, gaps come from the receive times of consecutive replies (minus one probe interval), so a
 * burst of late replies released after an outage still counts as the outage it was, and the probe
 * interval is the median spacing of sent probes. Without -D the interval comes from the summary
 * (`time` / (transmitted − 1)) and a gap is a run of lost probes; with no summary either, nothing can
 * be placed in time and resolutionMs, downtimeMs and every sample's t are NaN.
 */
import { GapFinder, lines, longestGapMs, median, type Analysis, type Gap, type Sample } from './downtime.ts';

/** A line that only ping prints: tells a text capture's kind. */
export const PING_TEXT_MARKER = /^(?:\[\d+\.\d+\] )?(?:PING \S+ |ping: |.*\bicmp_seq=\d+)/;

const STAMP = /^\[(\d+\.\d+)\] /;
const REPLY = /bytes from .*\bicmp_seq=(\d+) .*\btime=(\d+(?:\.\d+)?) ms/;
const NO_ANSWER = /^no answer yet for icmp_seq=(\d+)$/;
const SUMMARY = /^(\d+) packets transmitted, \d+ received\b.* time (\d+)ms$/;
const FAILURE = /^ping: (.*)$/;
/** icmp_seq is 16 bits: at -i 0.01 it wraps after 11 minutes. */
const SEQ_SPACE = 65536;

export function analyzePing(text: string): Analysis {
  const reader = new PingReader();
  for (const line of lines(text)) reader.line(line);
  return reader.finish();
}

/**
 * analyzePing one line at a time, for a capture read as a stream. Keeps a few numbers per probe
 * (its RTT, when it left, when it was overdue, when its reply came), never the text.
 */
export class PingReader {
  private readonly probes = new Probes();
  /** Epoch seconds each counted reply was stamped (-D). */
  private readonly receipts = new Floats();
  private stamped = true;
  private lastStamp = Number.NaN;
  private summary: { transmitted: number; timeMs: number } | undefined;
  private failure: string | null = null;

  line(raw: string): void {
    const stamp = STAMP.exec(raw);
    const line = stamp ? raw.slice(stamp[0].length) : raw;
    const at = stamp ? Number(stamp[1]) : Number.NaN;
    const reply = REPLY.exec(line);
    const overdue = reply ? null : NO_ANSWER.exec(line);
    if (reply) {
      const rttMs = Number(reply[2]);
      if (this.probes.answer(Number(reply[1]), rttMs, at - rttMs / 1000)) this.receipts.push(at);
    } else if (overdue) {
      this.probes.overdue(Number(overdue[1]), at);
    } else {
      const counts = SUMMARY.exec(line);
      if (counts) this.summary = { transmitted: Number(counts[1]), timeMs: Number(counts[2]) };
      this.failure ??= FAILURE.exec(line)?.[1] ?? null;
      return;
    }
    if (stamp) this.lastStamp = at;
    else this.stamped = false;
  }

  finish(): Analysis {
    const { probes, summary, stamped } = this;
    if (summary) probes.includeTransmitted(summary.transmitted);

    let intervalMs = stamped ? probes.spacingMs() : Number.NaN;
    if (Number.isNaN(intervalMs) && summary && summary.transmitted > 1) intervalMs = summary.timeMs / (summary.transmitted - 1);
    const sentMs = probes.sendTimesMs(intervalMs);
    const t0 = sentMs[0] ?? 0;
    const gaps = stamped ? replyGaps(this.receipts, t0, this.lastStamp * 1000 - t0, intervalMs) : lossGaps(probes, sentMs, intervalMs);
    const answered = probes.lastAnswered();
    const samples: Sample[] = [];
    for (let i = 0; i < probes.count; i++) samples.push({ t: sentMs[i]! - t0, value: probes.rttMs.at(i) });
    return {
      kind: 'ping',
      survived: answered >= 0 && probes.count - 1 - answered <= 1,
      downtimeMs: probes.count > 0 && (stamped || !Number.isNaN(intervalMs)) ? longestGapMs(gaps) : Number.NaN,
      resolutionMs: intervalMs,
      retransmits: null,
      throughputBeforeGbps: null,
      throughputAfterGbps: null,
      // "ping: sendmsg: …" during an outage is transient; it only explains a capture with no reply at all.
      error: answered < 0 ? this.failure : null,
      samples,
      gaps,
      startedAtMs: stamped && probes.count > 0 ? t0 : null,
    };
  }
}

/** A growable array of doubles: 8 bytes an entry, NaN until set. */
class Floats {
  private data = new Float64Array(1024);
  length = 0;

  at(i: number): number {
    return i >= 0 && i < this.length ? this.data[i]! : Number.NaN;
  }

  set(i: number, value: number): void {
    this.data[i] = value;
  }

  push(value: number): void {
    this.grow(this.length + 1);
    this.data[this.length - 1] = value;
  }

  /** Extends to `length` entries, the new ones NaN. */
  grow(length: number): void {
    if (length <= this.length) return;
    if (length > this.data.length) {
      const bigger = new Float64Array(Math.max(length, this.data.length * 2));
      bigger.set(this.data.subarray(0, this.length));
      this.data = bigger;
    }
    this.data.fill(Number.NaN, this.length, length);
    this.length = length;
  }

  findLastIndex(predicate: (value: number) => boolean): number {
    for (let i = this.length - 1; i >= 0; i--) if (predicate(this.data[i]!)) return i;
    return -1;
  }

  /** Differences of consecutive entries, ms (entries are s), skipping NaN ones. */
  stepsMs(): Float64Array {
    const steps = new Float64Array(Math.max(0, this.length - 1));
    let n = 0;
    for (let i = 1; i < this.length; i++) {
      const step = (this.data[i]! - this.data[i - 1]!) * 1000;
      if (!Number.isNaN(step)) steps[n++] = step;
    }
    return steps.subarray(0, n);
  }
}

/** Each reply shows the path up for one interval after it arrives; silence beyond that is a gap. */
function replyGaps(receipts: Floats, t0: number, endMs: number, intervalMs: number): Gap[] {
  const finder = new GapFinder(intervalMs / 2);
  for (let i = 0; i < receipts.length; i++) {
    const r = receipts.at(i) * 1000 - t0;
    finder.add({ startMs: r, endMs: r + intervalMs, fill: 1 });
  }
  return finder.finish(endMs);
}

/** Without -D, probe i left at i × interval. */
function lossGaps(probes: Probes, sentMs: Float64Array, intervalMs: number): Gap[] {
  if (Number.isNaN(intervalMs)) return [];
  const finder = new GapFinder(intervalMs / 2);
  for (let i = 0; i < probes.count; i++) {
    finder.add({ startMs: sentMs[i]!, endMs: sentMs[i]! + intervalMs, fill: Number.isNaN(probes.rttMs.at(i)) ? 0 : 1 });
  }
  return finder.finish(probes.count * intervalMs);
}

/** Probes indexed from the first icmp_seq seen, with sequence numbers unwrapped past 65535. */
class Probes {
  /** NaN while unanswered. */
  readonly rttMs = new Floats();
  /** Epoch seconds the probe left (receipt − RTT), known once answered under -D. */
  private readonly sentAt = new Floats();
  /** Epoch seconds of "no answer yet": ping prints it as the next probe leaves. */
  private readonly overdueAt = new Floats();
  private firstSeq: number | undefined;

  get count(): number {
    return this.rttMs.length;
  }

  /** false for a duplicate reply. */
  answer(seq: number, rttMs: number, sentAt: number): boolean {
    const i = this.index(seq);
    if (i < 0 || !Number.isNaN(this.rttMs.at(i))) return false;
    this.rttMs.set(i, rttMs);
    this.sentAt.set(i, sentAt);
    return true;
  }

  overdue(seq: number, at: number): void {
    const i = this.index(seq);
    if (i >= 0 && Number.isNaN(this.overdueAt.at(i))) this.overdueAt.set(i, at);
  }

  /** The summary also counts a last probe no line mentions; it is only comparable if the capture starts at seq 1. */
  includeTransmitted(transmitted: number): void {
    if (this.firstSeq === 1) this.grow(transmitted);
  }

  lastAnswered(): number {
    return this.rttMs.findLastIndex((rtt) => !Number.isNaN(rtt));
  }

  /** Median spacing of consecutive sent probes, from replies or else from "no answer yet" lines. */
  spacingMs(): number {
    const fromReplies = median(this.sentAt.stepsMs());
    return Number.isNaN(fromReplies) ? median(this.overdueAt.stepsMs()) : fromReplies;
  }

  /** Epoch ms under -D; otherwise ms from the first probe, assuming a steady interval. */
  sendTimesMs(intervalMs: number): Float64Array {
    const sent = new Float64Array(this.count);
    for (let i = 0; i < sent.length; i++) {
      const fromReply = this.sentAt.at(i) * 1000;
      const fromOverdue = this.overdueAt.at(i) * 1000 - intervalMs;
      const previous = i === 0 ? 0 : sent[i - 1]! + intervalMs;
      sent[i] = Number.isNaN(fromReply) ? (Number.isNaN(fromOverdue) ? previous : fromOverdue) : fromReply;
    }
    return sent;
  }

  private index(seq: number): number {
    this.firstSeq ??= seq;
    const near = Math.max(this.count - 1, 0);
    const offset = seq - this.firstSeq - near;
    const i = near + ((((offset % SEQ_SPACE) + SEQ_SPACE + SEQ_SPACE / 2) % SEQ_SPACE) - SEQ_SPACE / 2);
    this.grow(i + 1);
    return i;
  }

  private grow(count: number): void {
    this.rttMs.grow(count);
    this.sentAt.grow(count);
    this.overdueAt.grow(count);
  }
}
