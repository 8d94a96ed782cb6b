import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { execa } from 'execa';
import { groupAlive, stopGroup } from '../../../host/processes.ts';
import { toolOptions } from '../../../host/tool-env.ts';
import { GROUP_MARK, forgetGroup, recordGroup } from './process-group.ts';

export interface LoggedRun {
  cwd?: string;
  env: NodeJS.ProcessEnv;
  logFile: string;
  /** Where the process group is recorded while it runs (process-group.ts). */
  pidFile: string;
  /** Each output line as it comes (stdout and stderr interleaved, each line whole). */
  onLine: (line: string) => void;
  /** Stops the whole group; the run then rejects with the signal's reason. */
  signal?: AbortSignal;
}

/**
 * Runs an argument vector (no shell) in a process group of its own, its output line by line into
 * `onLine` and a log file. The group is one unit: a cancel stops all of it (kind.sh's docker and
 * kind too, not just the script), and what the command leaves behind in it when it exits is
 * stopped as well, so nothing of this run meets the next one.
 */
export async function runLogged(cmd: string, args: string[], o: LoggedRun): Promise<{ exitCode: number; tail: string[] }> {
  o.signal?.throwIfAborted();
  await mkdir(dirname(o.logFile), { recursive: true });
  const log = createWriteStream(o.logFile, { flags: 'a' });
  const tail: string[] = [];
  const emit = (line: string) => {
    tail.push(line);
    if (tail.length > 20) tail.shift();
    o.onLine(line);
  };
  const child = execa(cmd, args, { cwd: o.cwd, ...toolOptions({ ...o.env, [GROUP_MARK]: o.pidFile }), reject: false, stdin: 'ignore', buffer: false, detached: true });
  const group = child.pid;
  let stopping: Promise<void> | undefined;
  const stop = () => {
    if (group !== undefined) stopping ??= stopGroup(group);
  };
  if (group !== undefined) recordGroup(o.pidFile, group);
  o.signal?.addEventListener('abort', stop, { once: true });
  // Leftovers keep our pipes open, and with them this run: they go when their leader does.
  child.once('exit', () => {
    if (group !== undefined && groupAlive(group)) stop();
  });
  // Each stream has its own decoder and partial line: a multi-byte character or a progress meter
  // split across chunks must not garble a line or glue stderr to stdout.
  const ends = [child.stdout, child.stderr].map((stream) => splitLines(stream, (chunk) => log.write(chunk), emit));
  try {
    const r = await child;
    ends.forEach((flush) => flush());
    await stopping;
    o.signal?.throwIfAborted();
    return { exitCode: r.exitCode ?? -1, tail };
  } finally {
    o.signal?.removeEventListener('abort', stop);
    await new Promise<void>((resolve) => log.end(() => resolve()));
    if (group !== undefined) await forgetGroup(o.pidFile, group);
  }
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
