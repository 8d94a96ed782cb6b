import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { execa } from 'execa';

export interface LoggedRun {
  cwd?: string;
  env: NodeJS.ProcessEnv;
  logFile: string;
  /** Each output line as it comes (stdout and stderr interleaved). */
  onLine: (line: string) => void;
  signal?: AbortSignal;
}

/** Runs an argument vector (no shell), its output line by line into `onLine` and a log file. */
export async function runLogged(cmd: string, args: string[], o: LoggedRun): Promise<{ exitCode: number; tail: string[] }> {
  await mkdir(dirname(o.logFile), { recursive: true });
  const log = createWriteStream(o.logFile, { flags: 'a' });
  const tail: string[] = [];
  const child = execa(cmd, args, { cwd: o.cwd, env: o.env, extendEnv: false, reject: false, all: true, stdin: 'ignore', buffer: false, ...(o.signal ? { cancelSignal: o.signal } : {}) });
  let partial = '';
  child.all?.on('data', (chunk: Buffer) => {
    log.write(chunk);
    const lines = (partial + chunk.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      tail.push(line);
      if (tail.length > 20) tail.shift();
      o.onLine(line);
    }
  });
  const r = await child;
  if (partial) {
    tail.push(partial);
    o.onLine(partial);
  }
  await new Promise<void>((resolve) => log.end(() => resolve()));
  return { exitCode: r.exitCode ?? -1, tail };
}
