import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { paths } from './config/paths.ts';

/** The sources, from src/ or from the compiled dist/ beside it: the bundle is made from them either way. */
const srcDir = fileURLToPath(new URL('../src/', import.meta.url));
const lockFile = fileURLToPath(new URL('../package-lock.json', import.meta.url));
const bundlesDir = () => join(paths.cacheDir, 'workflow-bundles');

/**
 * The workflow code bundled once per version of the sources and kept in the cache directory, so
 * a worker that starts again (after a crash above all) loads a file instead of running webpack:
 * Worker.create 2.8 s → 1.0 s, about a third of a worker's start-up (bench/resumption).
 * The key hashes every source file a bundle can contain and the lock file (the SDK's version), so
 * a changed workflow is never served from a stale bundle. Returns the bundle file's path.
 */
export async function cachedWorkflowBundle(workflowsPath: string): Promise<{ codePath: string }> {
  const key = await sourcesHash();
  const codePath = join(bundlesDir(), `${key}.js`);
  if (await readFile(codePath).then(() => true, () => false)) return { codePath };
  const bundle: WorkflowBundleWithSourceMap = await bundleWorkflowCode({ workflowsPath, logger: quietLogger });
  await mkdir(bundlesDir(), { recursive: true });
  // Written aside and renamed: a worker starting at the same moment never reads half a file.
  const partial = `${codePath}.${process.pid}.partial`;
  await writeFile(partial, bundle.code);
  await rename(partial, codePath);
  await removeOtherBundles(`${key}.js`);
  return { codePath };
}

async function sourcesHash(): Promise<string> {
  const hash = createHash('sha256');
  const files = (await readdir(srcDir, { recursive: true })).filter((f) => f.endsWith('.ts')).sort();
  for (const file of [...files.map((f) => join(srcDir, f)), lockFile]) {
    hash.update(file.slice(srcDir.length)).update('\0').update(await readFile(file)).update('\0');
  }
  return hash.digest('hex').slice(0, 24);
}

/**
 * Bundles of other versions go once they are a day old: not at once, because another checkout
 * (or a CI run beside this one) may be about to load its own.
 */
async function removeOtherBundles(keep: string): Promise<void> {
  const dayAgo = Date.now() - 24 * 3600_000;
  for (const f of await readdir(bundlesDir()).catch(() => [] as string[])) {
    const file = join(bundlesDir(), f);
    if (f !== keep && (await stat(file).then((st) => st.mtimeMs < dayAgo, () => false))) await rm(file, { force: true });
  }
}

/** webpack's progress lines are noise here; its errors still fail the bundle. */
const quietLogger = { trace() {}, debug() {}, info() {}, warn() {}, error: (message: string) => process.stderr.write(`${message}\n`), log() {} } as never;
