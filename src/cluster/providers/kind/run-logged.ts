import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { execa } from 'execa';

export interface LoggedRun {
  cwd?: string;
  env: NodeJS.ProcessEnv;
  logFile: string;
  /** Each output line as it comes (stdout and stderr interleaved, each line whole). */
  onLine: (line: string) => void;
  signal?: AbortSignal;
}

/** Runs an argument vector (no shell), its output line by line into `onLine` and a log file. */
export async function runLogged(cmd: string, args: string[], o: LoggedRun): Promise<{ exitCode: number; tail: string[] }> {
  await mkdir(dirname(o.logFile), { recursive: true });
  const log = createWriteStream(o.logFile, { flags: 'a' });
  const tail: string[] = [];
  const emit = (line: string) => {
    tail.push(line);
    if (tail.length > 20) tail.shift();
    o.onLine(line);
  };
  const child = execa(cmd, args, { cwd: o.cwd, env: o.env, extendEnv: false, reject: false, stdin: 'ignore', buffer: false, ...(o.signal ? { cancelSignal: o.signal } : {}) });
  // Each stream has its own decoder and partial line: a multi-byte character or a progress meter
  // split across chunks must not garble a line or glue stderr to stdout.
  const ends = [child.stdout, child.stderr].map((stream) => splitLines(stream, (chunk) => log.write(chunk), emit));
  const r = await child;
  ends.forEach((flush) => flush());
  await new Promise<void>((resolve) => log.end(() => resolve()));
  return { exitCode: r.exitCode ?? -1, tail };
}

function splitLines(stream: Readable | null, raw: (chunk: Buffer) => void, line: (text: string) => void): () => void {
  const decoder = new StringDecoder('utf8');
  let partial = '';
  stream?.on('data', (chunk: Buffer) => {
    raw(chunk);
    const lines = (partial + decoder.write(chunk)).split('\n');
    partial = lines.pop() ?? '';
    lines.forEach(line);
  });
  return () => {
    const rest = partial + decoder.end();
    if (rest) line(rest);
  };
}
