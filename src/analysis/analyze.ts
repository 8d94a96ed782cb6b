/**
 * One entry point for a capture of unknown kind: iperf3 `--json`, iperf3 text, or ping; whole
 * (analyzeText) or as it is read (analyzeFile, analyzeStream).
 *
 * Text captures are judged line by line as they arrive, so reading an hour of 10 ms pings (~30 MB)
 * holds a few numbers per probe, not the text. An iperf3 `--json` capture is one document that
 * iperf3 writes when the run ends; it is held and parsed whole (docs/PERFORMANCE.md has the figures
 * and says why streaming it is not worth a JSON parser of our own).
 */
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { InputError, errorMessage, firstLine } from '../errors.ts';
import { LineSplitter, lines, type Analysis, type Window } from './downtime.ts';
import { IPERF3_TEXT_MARKER, Iperf3TextReader, analyzeIperf3, runFromJson, runFromText, type Iperf3Run } from './iperf3.ts';
import { PING_TEXT_MARKER, PingReader, analyzePing } from './ping.ts';

export type { Analysis, Gap, Sample, Window } from './downtime.ts';

/** The input is not a capture this module can judge; the message is one line naming the problem. */
export class UnreadableCapture extends InputError {
  override name = 'UnreadableCapture';
}

/** The migration window, or a function of the capture's start when the window is known in wall-clock time. */
export type WindowOption = Window | ((startedAtMs: number | null) => Window | undefined);

/** NUL, other C0 controls than tab/CR/LF/FF, or U+FFFD from decoding non-UTF-8 bytes. */
const BINARY = /[\u0000-\u0008\u000b\u000e-\u001f\ufffd]/;
/** How much of the start of a capture tells whether it is text, binary or JSON. */
const HEAD = 65536;

/**
 * `window` is the migration, in ms since the capture's start (or a function of the capture's
 * start, when the window is known in wall-clock time): iperf3's before/after throughput is the
 * mean rate of the intervals wholly outside it; without one, of the first and last third of the
 * intervals. Throws UnreadableCapture for anything that is not iperf3 or ping output.
 */
export function analyzeText(text: string, name = 'capture', window?: WindowOption): Analysis {
  const reader = new CaptureReader(name, window);
  reader.push(text);
  return reader.end();
}

/**
 * analyzeText for a file, read as a stream: text captures are judged as they are read and never
 * held whole. Rejects with the file system's error (code ENOENT, EISDIR, …) when it cannot be read,
 * and with UnreadableCapture as analyzeText does.
 */
export async function analyzeFile(path: string, name = path, window?: WindowOption): Promise<Analysis> {
  const reader = new CaptureReader(name, window);
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 64 * 1024 })) {
    reader.push(chunk as string);
    // A JSON document is parsed whole: read it into one buffer of the file's size rather than in chunks.
    if (reader.holdsWhole) return analyzeText(await readFile(path, 'utf8'), name, window);
  }
  return reader.end();
}

/** analyzeText for a capture arriving in chunks: UTF-8 bytes (split anywhere) or strings, not a mix. */
export async function analyzeStream(source: AsyncIterable<string | Uint8Array>, name = 'capture', window?: WindowOption): Promise<Analysis> {
  const reader = new CaptureReader(name, window);
  const decoder = new StringDecoder('utf8');
  for await (const chunk of source) reader.push(typeof chunk === 'string' ? chunk : decoder.write(chunk));
  const rest = decoder.end();
  if (rest) reader.push(rest);
  return reader.end();
}

interface LineReader {
  line(line: string): void;
  finish(): Analysis;
}

/**
 * A capture fed in chunks (`push`), judged by `end`. The first 64 Ki characters tell binary from
 * text and JSON from lines; JSON is held whole. Lines go to the reader for the capture's kind from
 * the first line only iperf3 or only ping prints; the lines before it (usually none) wait for it.
 */
export class CaptureReader {
  private state: 'head' | 'whole' | 'lines' = 'head';
  /** The head until it is judged; then, for a capture read whole, every chunk. */
  private held: string[] = [];
  private heldLength = 0;
  private readonly splitter = new LineSplitter((line) => this.line(line));
  private waiting: string[] = [];
  private reader: LineReader | undefined;

  constructor(
    private readonly name: string,
    private readonly window?: WindowOption,
  ) {}

  /** The capture must be held whole (JSON, or only white space so far). */
  get holdsWhole(): boolean {
    return this.state === 'whole';
  }

  push(chunk: string): void {
    if (this.state === 'lines') this.splitter.push(chunk);
    else {
      this.held.push(chunk);
      this.heldLength += chunk.length;
      if (this.state === 'head' && this.heldLength >= HEAD) this.judgeHead(false);
    }
  }

  end(): Analysis {
    if (this.state === 'head') this.judgeHead(true);
    if (this.state === 'whole') {
      const text = this.held.join('');
      this.held = [];
      return this.whole(text);
    }
    this.splitter.end();
    if (!this.reader) throw this.unreadable('neither iperf3 nor ping output (no line either tool prints)');
    return this.reader.finish();
  }

  private judgeHead(atEnd: boolean): void {
    const head = this.held.join('');
    this.held = [head];
    if (!/\S/.test(head)) {
      if (atEnd) throw this.unreadable('empty, nothing was captured');
      // Nothing but white space so far: only the whole capture can say what it is.
      this.state = 'whole';
    } else if (BINARY.test(head.slice(0, HEAD))) {
      throw this.unreadable('binary data, not text output');
    } else if (/^\s*\{/.test(head)) {
      this.state = 'whole';
    } else {
      this.state = 'lines';
      this.held = [];
      this.splitter.push(head);
    }
  }

  private line(line: string): void {
    if (this.reader) {
      this.reader.line(line);
      return;
    }
    this.waiting.push(line);
    if (IPERF3_TEXT_MARKER.test(line)) {
      const iperf3 = new Iperf3TextReader();
      this.reader = { line: (l) => iperf3.line(l), finish: () => this.iperf3(iperf3.finish()) };
    } else if (PING_TEXT_MARKER.test(line)) {
      this.reader = new PingReader();
    } else return;
    for (const l of this.waiting) this.reader.line(l);
    this.waiting = [];
  }

  /** A capture held whole: empty, binary, JSON, or (after a head of white space) text. */
  private whole(text: string): Analysis {
    if (!/\S/.test(text)) throw this.unreadable('empty, nothing was captured');
    if (BINARY.test(text.slice(0, HEAD))) throw this.unreadable('binary data, not text output');
    if (/^\s*\{/.test(text)) {
      let doc: unknown;
      try {
        doc = JSON.parse(text);
      } catch (err) {
        throw this.unreadable(`truncated or malformed JSON (${firstLine(errorMessage(err))})`);
      }
      const run = runFromJson(doc);
      if (run === undefined) throw this.unreadable('JSON but not iperf3 --json output (needs "start" and "intervals" with interval sums)');
      return this.iperf3(run);
    }
    for (const line of lines(text)) {
      if (IPERF3_TEXT_MARKER.test(line)) return this.iperf3(runFromText(text));
      if (PING_TEXT_MARKER.test(line)) return analyzePing(text);
    }
    throw this.unreadable('neither iperf3 nor ping output (no line either tool prints)');
  }

  private iperf3(run: Iperf3Run): Analysis {
    return analyzeIperf3(run, typeof this.window === 'function' ? this.window(run.startedAtMs) : this.window);
  }

  private unreadable(problem: string): UnreadableCapture {
    return new UnreadableCapture(`${this.name}: ${problem}`);
  }
}
