import { chmod, mkdir, readdir, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { InfrastructureError, errorMessage } from '../errors.ts';
import { isExecutable, locateBinary, type BinarySpec, type LocateOptions, type LocatedBinary } from '../host/binaries.ts';

/** Newer releases carry a replace directive in go.mod, so `go install` cannot build them (FACTS.md). */
export const TEMPORAL_CLI_VERSION = '1.5.1';

export const TEMPORAL_CLI: BinarySpec = {
  name: 'temporal',
  label: 'temporal CLI',
  version: TEMPORAL_CLI_VERSION,
  pathEnv: 'TEMPORAL_CLI_PATH',
  goArgs: () => ['install', '-trimpath', `github.com/temporalio/cli/cmd/temporal@v${TEMPORAL_CLI_VERSION}`],
  release: {
    base: 'https://github.com/temporalio/cli/releases/download',
    baseEnv: 'UDN_DEMO_DOWNLOAD_BASE_TEMPORAL',
    file: (version, arch) => `v${version}/temporal_cli_${version}_linux_${arch}.tar.gz`,
    sums: (version) => `v${version}/temporal_cli_${version}_checksums.txt`,
    member: () => 'temporal',
  },
  download: downloadThroughSdk,
};

/** $TEMPORAL_CLI_PATH, PATH, the cache, the release download, a Go build, and last the SDK's own download. */
export function locateTemporalCli(options: LocateOptions = {}): Promise<LocatedBinary> {
  return locateBinary(TEMPORAL_CLI, options);
}

async function downloadThroughSdk(target: string, binDir: string): Promise<void> {
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
    throw new InfrastructureError(`no Go toolchain to build the Temporal CLI, and the SDK download failed (${errorMessage(err)}). Install Go or set TEMPORAL_CLI_PATH.`);
  }
  const newest = await newestExecutable(downloadDir);
  if (!newest) throw new InfrastructureError(`the SDK download left no executable in ${downloadDir}`);
  await rename(newest, target);
  await chmod(target, 0o755);
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
