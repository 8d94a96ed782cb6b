import { access, chmod, constants, mkdir, mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import which from 'which';
import { paths } from '../config/paths.ts';
import { InfrastructureError, errorMessage } from '../errors.ts';

/** Newer releases carry a replace directive in go.mod, so `go install` cannot build them (FACTS.md). */
export const TEMPORAL_CLI_VERSION = '1.5.1';
const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal';

export type BinarySource = 'TEMPORAL_CLI_PATH' | 'PATH' | 'cache' | 'go build' | 'SDK download';
export interface LocatedBinary {
  path: string;
  source: BinarySource;
}

export interface LocateOptions {
  env?: NodeJS.ProcessEnv;
  binDir?: string;
  log?: (line: string) => void;
}

/**
 * Finds a Temporal CLI in the order the project promises: $TEMPORAL_CLI_PATH, PATH, our cache,
 * a Go build into the cache, and last the SDK's own download (machines with internet only).
 */
export async function locateTemporalCli(options: LocateOptions = {}): Promise<LocatedBinary> {
  const env = options.env ?? process.env;
  const binDir = options.binDir ?? paths.binDir;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const found = await findExisting(env, binDir);
  if (found) {
    log(`temporal CLI: ${found.path} (from ${found.source})`);
    return found;
  }
  const cached = cachedPath(binDir);
  const goBinary = await which('go', { nothrow: true, path: env.PATH });
  if (goBinary) {
    log(`temporal CLI: building v${TEMPORAL_CLI_VERSION} with Go into ${binDir} (the first build takes several minutes)`);
    const started = Date.now();
    const ticker = setInterval(() => log(`temporal CLI: still building (${Math.round((Date.now() - started) / 1000)} s)`), 30_000);
    try {
      await buildWithGo(goBinary, binDir, cached, env);
    } finally {
      clearInterval(ticker);
    }
    log(`temporal CLI: ${cached} (from go build, ${Math.round((Date.now() - started) / 1000)} s)`);
    return { path: cached, source: 'go build' };
  }
  log(`temporal CLI: no Go toolchain; downloading it through the Temporal SDK into ${binDir}`);
  const downloaded = await downloadThroughSdk(binDir, cached);
  log(`temporal CLI: ${downloaded} (from SDK download)`);
  return { path: downloaded, source: 'SDK download' };
}

/** The first three sources, none of which builds or downloads anything. */
export async function findExisting(env: NodeJS.ProcessEnv, binDir: string): Promise<LocatedBinary | undefined> {
  const fromEnv = env.TEMPORAL_CLI_PATH;
  if (fromEnv) {
    if (!(await isExecutable(fromEnv))) throw new InfrastructureError(`TEMPORAL_CLI_PATH=${fromEnv} is not an executable file`);
    return { path: fromEnv, source: 'TEMPORAL_CLI_PATH' };
  }
  const onPath = await which('temporal', { nothrow: true, path: env.PATH });
  if (onPath) return { path: onPath, source: 'PATH' };
  const cached = cachedPath(binDir);
  if (await isExecutable(cached)) return { path: cached, source: 'cache' };
  return undefined;
}

export function cachedPath(binDir: string): string {
  return join(binDir, `temporal-${TEMPORAL_CLI_VERSION}`);
}

async function buildWithGo(go: string, binDir: string, target: string, env: NodeJS.ProcessEnv): Promise<void> {
  await mkdir(binDir, { recursive: true });
  // A private GOBIN and a rename make concurrent builds (two test processes) safe: last one wins whole.
  const gobin = await mkdtemp(join(binDir, '.build-'));
  try {
    const result = await execa(go, ['install', '-trimpath', `${TEMPORAL_CLI_MODULE}@v${TEMPORAL_CLI_VERSION}`], {
      env: { ...env, GOBIN: gobin, CGO_ENABLED: '0' },
      reject: false,
      all: true,
    });
    if (result.exitCode !== 0) {
      const tail = (result.all ?? '').split('\n').slice(-5).join(' | ');
      throw new InfrastructureError(`go install ${TEMPORAL_CLI_MODULE}@v${TEMPORAL_CLI_VERSION} failed: ${tail}`);
    }
    await rename(join(gobin, 'temporal'), target);
  } finally {
    await rm(gobin, { recursive: true, force: true });
  }
}

async function downloadThroughSdk(binDir: string, target: string): Promise<string> {
  const downloadDir = join(binDir, 'sdk-download');
  await mkdir(downloadDir, { recursive: true });
  try {
    // The SDK exposes its downloader only through the ephemeral server it starts; start it once and keep the file.
    const { TestWorkflowEnvironment } = await import('@temporalio/testing');
    const env = await TestWorkflowEnvironment.createLocal({
      server: { executable: { type: 'cached-download', downloadDir, version: `v${TEMPORAL_CLI_VERSION}` } },
    });
    await env.teardown();
  } catch (err) {
    throw new InfrastructureError(
      `no Temporal CLI found: not in $TEMPORAL_CLI_PATH, on PATH or in ${binDir}; no Go toolchain to build it; and the SDK download failed (${errorMessage(err)}). Install Go or set TEMPORAL_CLI_PATH.`,
    );
  }
  const newest = await newestExecutable(downloadDir);
  if (!newest) throw new InfrastructureError(`the SDK download left no executable in ${downloadDir}`);
  await rename(newest, target);
  await chmod(target, 0o755);
  return target;
}

async function newestExecutable(dir: string): Promise<string | undefined> {
  let best: { path: string; mtime: number } | undefined;
  for (const name of await readdir(dir)) {
    const path = join(dir, name);
    const info = await stat(path);
    if (info.isFile() && (await isExecutable(path)) && (!best || info.mtimeMs > best.mtime)) best = { path, mtime: info.mtimeMs };
  }
  return best?.path;
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
