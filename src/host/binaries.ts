import { access, constants, mkdir, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import which from 'which';
import { paths } from '../config/paths.ts';
import { InfrastructureError, InterruptedError } from '../errors.ts';
import { DownloadUnavailable, downloadRelease, downloadsAllowed, releaseArch, releaseUrl, type ReleaseSource } from './download.ts';
import { toolOptions } from './tool-env.ts';

/** Puts the binary at target; signal stops it (Ctrl-C). */
export type Download = (target: string, binDir: string, env: NodeJS.ProcessEnv, signal?: AbortSignal) => Promise<void>;

/** How to find, build or fetch one external binary udn-demo runs. */
export interface BinarySpec {
  /** The executable's name on PATH and in $GOBIN. */
  name: string;
  /** For log lines: "temporal CLI", "kube-apiserver". */
  label: string;
  version: string;
  /** An environment variable naming the binary itself. */
  pathEnv?: string;
  /** An environment variable naming a directory that holds it (envtest's KUBEBUILDER_ASSETS). */
  dirEnv?: string;
  /** The `go` arguments that put the binary at `${gobin}/${name}`, and where to run them. */
  goArgs: (gobin: string) => string[];
  goDir?: string;
  /** The official release, checksum-verified: tried before a build, which takes minutes. */
  release?: ReleaseSource;
  /** The last resort, for machines with internet and no Go. */
  download?: Download;
}

export interface LocatedBinary {
  path: string;
  /** Which source it came from: the variable's name, PATH, cache, go build or download. */
  source: string;
}

export interface LocateOptions {
  env?: NodeJS.ProcessEnv;
  binDir?: string;
  log?: (line: string) => void;
  /** Stops a build or download in progress (Ctrl-C). */
  signal?: AbortSignal;
}

export function binaryCachePath(spec: BinarySpec, binDir: string): string {
  return join(binDir, `${spec.name}-${spec.version}`);
}

/**
 * What locateBinary would do for a spec, decided without building or downloading anything: use
 * what exists, else download the official release (unless offline or on a platform it does not
 * ship for) and otherwise build with Go, else the no-Go download, else nothing (`udn-demo doctor`
 * reports it).
 */
export type BinaryPlan = { how: 'found'; found: LocatedBinary } | ObtainPlan;
export type ObtainPlan =
  | { how: 'build'; go: string }
  | {
      how: 'download';
      download: Download;
      /** The release file's URL, for the log line. */
      from?: string;
      /** What to do when this download cannot happen (no network, no such file). */
      otherwise?: ObtainPlan;
    }
  | { how: 'none' };

export async function planBinary(spec: BinarySpec, env: NodeJS.ProcessEnv, binDir: string): Promise<BinaryPlan> {
  const found = await findExisting(spec, env, binDir);
  if (found) return { how: 'found', found };
  const go = await which('go', { nothrow: true, path: env.PATH });
  const otherwise: ObtainPlan = go ? { how: 'build', go } : spec.download ? { how: 'download', download: spec.download } : { how: 'none' };
  const { release } = spec;
  const arch = releaseArch();
  if (!release || !arch || !downloadsAllowed(env)) return otherwise;
  return {
    how: 'download',
    download: (target, dir, env, signal) => downloadRelease(release, spec.version, arch, target, dir, env, signal),
    from: releaseUrl(release, release.file(spec.version, arch), env),
    otherwise,
  };
}

/**
 * Finds a binary in the order the project promises: the spec's variables, PATH, our cache
 * (versioned names, so a version bump fetches again), the official release download, a Go build
 * into the cache, the no-Go download. One line says which source was used, one why a download
 * was given up for the next.
 */
export async function locateBinary(spec: BinarySpec, options: LocateOptions = {}): Promise<LocatedBinary> {
  const env = options.env ?? process.env;
  const binDir = options.binDir ?? paths.binDir;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const plan = await planBinary(spec, env, binDir);
  if (plan.how === 'found') {
    log(`${spec.label}: ${plan.found.path} (from ${plan.found.source})`);
    return plan.found;
  }
  return obtain(spec, plan, { env, binDir, log, signal: options.signal });
}

interface ObtainContext {
  env: NodeJS.ProcessEnv;
  binDir: string;
  log: (line: string) => void;
  signal?: AbortSignal | undefined;
}

async function obtain(spec: BinarySpec, plan: ObtainPlan, { env, binDir, log, signal }: ObtainContext): Promise<LocatedBinary> {
  if (plan.how === 'none') throw new InfrastructureError(`${spec.label} not found (looked in ${[spec.pathEnv, spec.dirEnv].filter(Boolean).map((v) => `$${v}`).join(', ')}${spec.pathEnv || spec.dirEnv ? ', ' : ''}PATH, ${binDir}) and no Go toolchain to build it: install Go, or put ${spec.name} on PATH`);
  const target = binaryCachePath(spec, binDir);
  await mkdir(binDir, { recursive: true });
  const how = plan.how === 'build' ? 'building' : 'downloading';
  log(plan.how === 'download' && plan.from ? `${spec.label}: downloading v${spec.version} from ${plan.from}` : `${spec.label}: ${how} v${spec.version} into ${binDir} (the first ${plan.how} takes several minutes)`);
  const started = Date.now();
  const seconds = () => Math.round((Date.now() - started) / 1000);
  const ticker = setInterval(() => log(`${spec.label}: still ${how} (${seconds()} s)`), 30_000);
  try {
    if (plan.how === 'build') await buildWithGo(spec, plan.go, binDir, target, env, signal);
    else await plan.download(target, binDir, env, signal);
  } catch (err) {
    if (!(plan.how === 'download' && plan.otherwise && err instanceof DownloadUnavailable)) throw err;
    log(`${spec.label}: ${err.message}; ${plan.otherwise.how === 'build' ? 'building it with Go instead' : 'trying the next source'}`);
    return obtain(spec, plan.otherwise, { env, binDir, log, signal });
  } finally {
    clearInterval(ticker);
  }
  const source = plan.how === 'build' ? 'go build' : 'download';
  log(`${spec.label}: ${target} (from ${source}, ${seconds()} s)`);
  return { path: target, source };
}

/** The sources that neither build nor download anything. */
export async function findExisting(spec: BinarySpec, env: NodeJS.ProcessEnv, binDir: string): Promise<LocatedBinary | undefined> {
  const direct = spec.pathEnv ? env[spec.pathEnv] : undefined;
  if (spec.pathEnv && direct) {
    if (!(await isExecutable(direct))) throw new InfrastructureError(`${spec.pathEnv}=${direct} is not an executable file`);
    return { path: direct, source: spec.pathEnv };
  }
  const dir = spec.dirEnv ? env[spec.dirEnv] : undefined;
  if (spec.dirEnv && dir) {
    const inDir = join(dir, spec.name);
    if (await isExecutable(inDir)) return { path: inDir, source: spec.dirEnv };
  }
  const onPath = await which(spec.name, { nothrow: true, path: env.PATH });
  if (onPath) return { path: onPath, source: 'PATH' };
  const cached = binaryCachePath(spec, binDir);
  if (await isExecutable(cached)) return { path: cached, source: 'cache' };
  return undefined;
}

async function buildWithGo(spec: BinarySpec, go: string, binDir: string, target: string, env: NodeJS.ProcessEnv, signal?: AbortSignal): Promise<void> {
  // A private GOBIN and a rename make concurrent builds (two processes) safe: the last one wins whole.
  const gobin = await mkdtemp(join(binDir, '.build-'));
  try {
    const args = spec.goArgs(gobin);
    const result = await execa(go, args, {
      ...toolOptions({ ...env, GOBIN: gobin, CGO_ENABLED: '0' }),
      ...(spec.goDir ? { cwd: spec.goDir } : {}),
      ...(signal ? { cancelSignal: signal } : {}),
      reject: false,
      all: true,
    });
    if (result.isCanceled) throw new InterruptedError(`${spec.label}: build interrupted`);
    if (result.exitCode !== 0) {
      const tail = (result.all ?? '').split('\n').slice(-5).join(' | ');
      throw new InfrastructureError(`go ${args.join(' ')} failed: ${tail}`);
    }
    await rename(join(gobin, spec.name), target);
  } finally {
    await rm(gobin, { recursive: true, force: true });
  }
}

export async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
