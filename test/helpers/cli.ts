import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

const bin = fileURLToPath(new URL('../../bin/udn-demo.js', import.meta.url));

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** The CLI under test never downloads its tools (a test can still say otherwise). */
const offline = { UDN_DEMO_OFFLINE: '1' };

/** Runs the real `udn-demo` executable, as a person would. */
export async function cli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const r = await execa(process.execPath, [bin, ...args], { env: { ...offline, ...env }, reject: false, timeout: 120_000, stdin: 'ignore' });
  return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/** A user error is one line on stderr, with no stack trace. */
export function assertOneLineError(r: CliResult): string {
  const lines = r.stderr.trim().split('\n');
  if (lines.length !== 1) throw new Error(`expected one line on stderr, got:\n${r.stderr}`);
  if (/\n\s+at /.test(r.stderr) || r.stderr.includes('node_modules')) throw new Error(`stack trace on stderr:\n${r.stderr}`);
  return lines[0]!;
}

/** Starts the CLI without waiting, for tests that signal it; resolves `ready` once stderr matches. */
export function spawnCli(args: string[], env: Record<string, string>, readyWhen: RegExp) {
  const child = execa(process.execPath, [bin, ...args], { env: { ...offline, ...env }, reject: false, stdin: 'ignore', timeout: 120_000 });
  let stderr = '';
  const ready = new Promise<void>((resolve, reject) => {
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (readyWhen.test(stderr)) resolve();
    });
    child.then((r) => reject(new Error(`exited ${r.exitCode} before ready:\n${stderr}`)), reject);
  });
  return { child, ready, stderr: () => stderr };
}
