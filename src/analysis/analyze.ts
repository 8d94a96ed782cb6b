/**
 * One entry point for a capture of unknown kind: iperf3 `--json`, iperf3 text, or ping.
 */
import { InputError, errorMessage, firstLine } from '../errors.ts';
import { lines, type Analysis, type Window } from './downtime.ts';
import { IPERF3_TEXT_MARKER, analyzeIperf3, runFromJson, runFromText } from './iperf3.ts';
import { PING_TEXT_MARKER, analyzePing } from './ping.ts';

export type { Analysis, Gap, Sample, Window } from './downtime.ts';

/** The input is not a capture this module can judge; the message is one line naming the problem. */
export class UnreadableCapture extends InputError {
  override name = 'UnreadableCapture';
}

/** NUL, other C0 controls than tab/CR/LF/FF, or U+FFFD from decoding non-UTF-8 bytes. */
const BINARY = /[\u0000-\u0008\u000b\u000e-\u001f\ufffd]/;

/**
 * `window` is the migration, in ms since the capture's start (or a function of the capture's
 * start, when the window is known in wall-clock time): iperf3's before/after throughput is the
 * mean rate of the intervals wholly outside it; without one, of the first and last third of the
 * intervals. Throws UnreadableCapture for anything that is not iperf3 or ping output.
 */
export function analyzeText(text: string, name = 'capture', window?: Window | ((startedAtMs: number | null) => Window | undefined)): Analysis {
  const windowOf = (run: { startedAtMs: number | null }) => (typeof window === 'function' ? window(run.startedAtMs) : window);
  const unreadable = (problem: string) => new UnreadableCapture(`${name}: ${problem}`);
  if (!/\S/.test(text)) throw unreadable('empty, nothing was captured');
  if (BINARY.test(text.slice(0, 65536))) throw unreadable('binary data, not text output');
  if (/^\s*\{/.test(text)) {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (err) {
      throw unreadable(`truncated or malformed JSON (${firstLine(errorMessage(err))})`);
    }
    const run = runFromJson(doc);
    if (run === undefined) throw unreadable('JSON but not iperf3 --json output (needs "start" and "intervals" with interval sums)');
    return analyzeIperf3(run, windowOf(run));
  }
  for (const line of lines(text)) {
    if (IPERF3_TEXT_MARKER.test(line)) {
      const run = runFromText(text);
      return analyzeIperf3(run, windowOf(run));
    }
    if (PING_TEXT_MARKER.test(line)) return analyzePing(text);
  }
  throw unreadable('neither iperf3 nor ping output (no line either tool prints)');
}
