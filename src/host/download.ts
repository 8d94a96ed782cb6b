import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { execa } from 'execa';
import { InfrastructureError, InterruptedError, errorMessage } from '../errors.ts';
import { sha256For } from './checksums.ts';

export type ReleaseArch = 'amd64' | 'arm64';

/** Where a tool's official release publishes its linux binary and the sha256 that covers it. */
export interface ReleaseSource {
  /** The official download root; the variable baseEnv names replaces it (a mirror, a test's loopback server). */
  base: string;
  baseEnv: string;
  /** Paths under the root: the file, and the checksum file that lists its sha256. */
  file: (version: string, arch: ReleaseArch) => string;
  sums: (version: string, arch: ReleaseArch) => string;
  /** The binary's path inside the file when the file is a .tar.gz; absent, the file is the binary. */
  member?: (version: string, arch: ReleaseArch) => string;
}

/** The download cannot happen here (no network, no such file): building instead is the right answer. */
export class DownloadUnavailable extends InfrastructureError {}

/** An unresolvable host fails at once; a black hole must not hold a start for long before the build. */
const CONNECT_MS = 3_000;
/** A transfer that stops moving is as good as a failed one. */
const STALL_MS = 30_000;

/** The release architecture of this machine, where the official releases have one. */
export function releaseArch(): ReleaseArch | undefined {
  if (process.platform !== 'linux') return undefined;
  return process.arch === 'x64' ? 'amd64' : process.arch === 'arm64' ? 'arm64' : undefined;
}

/**
 * UDN_DEMO_OFFLINE=1 skips the download attempt. A caller's env (a test standing in for another
 * machine) may set it; otherwise the process's own applies, so a minimal env cannot reach the
 * internet by accident.
 */
export function downloadsAllowed(env: NodeJS.ProcessEnv): boolean {
  const offline = env.UDN_DEMO_OFFLINE ?? process.env.UDN_DEMO_OFFLINE ?? '';
  return offline === '' || offline === '0';
}

export function releaseUrl(source: ReleaseSource, path: string, env: NodeJS.ProcessEnv): string {
  return `${(env[source.baseEnv] || source.base).replace(/\/+$/, '')}/${path}`;
}

/**
 * Fetches the release file and its published sha256, checks one against the other while the file
 * streams to disk, unpacks the binary if need be, and only then renames it to target: a failed or
 * refused download leaves nothing in binDir. A mismatch is an error, never a reason to build instead.
 */
export async function downloadRelease(source: ReleaseSource, version: string, arch: ReleaseArch, target: string, binDir: string, env: NodeJS.ProcessEnv, signal?: AbortSignal): Promise<void> {
  const fileUrl = releaseUrl(source, source.file(version, arch), env);
  const sumsUrl = releaseUrl(source, source.sums(version, arch), env);
  const name = basename(source.file(version, arch));
  const work = await mkdtemp(join(binDir, '.download-'));
  try {
    await fetchToFile(sumsUrl, join(work, 'sums'), signal);
    const expected = sha256For(await readFile(join(work, 'sums'), 'utf8'), name);
    if (!expected) throw new InfrastructureError(`${sumsUrl} gives no sha256 for ${name}; refusing to download it unchecked`);
    const file = join(work, name);
    const actual = await fetchToFile(fileUrl, file, signal);
    if (actual !== expected) throw new InfrastructureError(`${name}: sha256 ${actual} does not match the published ${expected} (${sumsUrl}); refusing to use it`);
    const binary = source.member ? await unpack(file, source.member(version, arch), work) : file;
    await chmod(binary, 0o755);
    await rename(binary, target);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Streams url into path and returns its sha256; any failure to get the bytes is DownloadUnavailable. */
async function fetchToFile(url: string, path: string, signal?: AbortSignal): Promise<string> {
  const timer = new AbortController();
  let timeout: NodeJS.Timeout | undefined;
  let waited = 0;
  const arm = (ms: number) => {
    clearTimeout(timeout);
    waited = ms;
    timeout = setTimeout(() => timer.abort(), ms);
  };
  const hash = createHash('sha256');
  try {
    arm(CONNECT_MS);
    const res = await fetch(url, { signal: signal ? AbortSignal.any([signal, timer.signal]) : timer.signal });
    if (!res.ok || !res.body) throw new DownloadUnavailable(`cannot download ${url}: HTTP ${res.status}`);
    await pipeline(
      Readable.fromWeb(res.body as import('node:stream/web').ReadableStream),
      async function* (chunks: AsyncIterable<Buffer>) {
        for await (const chunk of chunks) {
          arm(STALL_MS);
          hash.update(chunk);
          yield chunk;
        }
      },
      createWriteStream(path),
    );
    return hash.digest('hex');
  } catch (err) {
    if (signal?.aborted) throw new InterruptedError(`download of ${url} interrupted`);
    if (err instanceof DownloadUnavailable) throw err;
    const why = timer.signal.aborted ? `no progress within ${waited / 1000} s` : networkReason(err);
    throw new DownloadUnavailable(`cannot download ${url}: ${why}`);
  } finally {
    clearTimeout(timeout);
  }
}

/** fetch says only "fetch failed"; the system's code (ENOTFOUND, ECONNREFUSED) is in its cause. */
function networkReason(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? errorMessage(err);
}

async function unpack(archive: string, member: string, dir: string): Promise<string> {
  const into = join(dir, 'unpacked');
  await mkdir(into);
  const result = await execa('tar', ['-xzf', archive, '-C', into, member], { reject: false, all: true });
  if (result.exitCode !== 0) throw new InfrastructureError(`${basename(archive)} has no ${member} (tar: ${String(result.all).trim().split('\n')[0]})`);
  return join(into, member);
}
