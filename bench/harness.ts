/**
 * The benchmark interface. A benchmark is one file, `bench/<name>.bench.ts`, whose default export is
 * `defineBenchmark({ title, run })`; `npm run bench` finds it, runs it in a process of its own (so its
 * peak memory is its own), and writes its record to `bench/results/<name>.json`. Nothing else to
 * register. See docs/PERFORMANCE.md, "Adding a benchmark".
 *
 * `run` returns figures, each a ratio or a distribution of values from this one run, never a single
 * absolute time: the machine is shared and its speed varies, a comparison made inside one run does not.
 * A benchmark asserts nothing about speed. It may throw when its own measurement is invalid (the
 * thing measured gave a wrong answer), and the runner reports that benchmark as failed.
 */
import { fork } from 'node:child_process';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';

export interface Distribution {
  n: number;
  median: number;
  p95: number;
  min: number;
  max: number;
}

interface FigureBase {
  /** What was measured, in words: "ping: analyze time, whole text". */
  figure: string;
  /** "ms", "lines/s", "× input size", "streamed / whole text". */
  unit: string;
  /** One line of context for the table, optional. */
  note?: string;
  /** Repeated under "Key figures" at the top of docs/PERFORMANCE.md. */
  key?: boolean;
}

export type Figure = (FigureBase & { distribution: Distribution }) | (FigureBase & { ratio: number });

export interface Machine {
  cores: number;
  memoryGiB: number;
  node: string;
  /** `temporal --version` of the binary the project would use, or the pinned version if none is installed. */
  temporalCli: string;
  cpuModel: string;
  /** 1-minute load average when the benchmark started: figures from a busy machine read differently. */
  loadAverage1m: number;
}

/** What a benchmark writes to bench/results/<name>.json. */
export interface BenchRecord {
  name: string;
  title: string;
  figures: Figure[];
  machine: Machine;
  /** ISO 8601, when the benchmark started. */
  date: string;
  /** Peak RSS of the benchmark's own process (not of the processes it started), MiB. */
  peakRssMiB: number;
  /** How long the benchmark took, for keeping `npm run bench` within its budget; not a figure. */
  durationS: number;
  /** Free text the benchmark wants kept with its figures (what was generated, what was checked). */
  notes: string[];
  /** Run with BENCH_QUICK=1 (fewer repetitions): not for comparison. */
  quick: boolean;
}

export interface BenchContext {
  /** Progress for the terminal (stderr); the record goes to stdout. */
  log(line: string): void;
  /** Keep in the record: what the input was, what the benchmark checked. */
  note(line: string): void;
  /** A scratch directory of this benchmark's own, removed afterwards. */
  tmpDir: string;
  /** BENCH_QUICK=1: fewer repetitions, for trying a benchmark out; the record says so. */
  quick: boolean;
}

export interface Benchmark {
  /** One line for the table's heading. */
  title: string;
  run(ctx: BenchContext): Promise<Figure[]>;
}

export function defineBenchmark(b: Benchmark): Benchmark {
  return b;
}

/** Nearest-rank percentiles; NaN fields for no values. */
export function distribution(values: readonly number[]): Distribution {
  const sorted = Float64Array.from(values).sort();
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? Number.NaN;
  return { n: sorted.length, median: median(sorted), p95: rank(0.95), min: sorted[0] ?? Number.NaN, max: sorted.at(-1) ?? Number.NaN };
}

function median(sorted: Float64Array): number {
  if (sorted.length === 0) return Number.NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export interface FigureOptions {
  note?: string;
  key?: boolean;
}

export function dist(figure: string, unit: string, values: readonly number[], options: FigureOptions = {}): Figure {
  return { figure, unit, distribution: distribution(values), ...options };
}

export function ratio(figure: string, unit: string, value: number, options: FigureOptions = {}): Figure {
  return { figure, unit, ratio: value, ...options };
}

export interface Timings {
  /** Elapsed time of each run, ms: what a user waits, inflated when other processes want the CPU. */
  wallMs: number[];
  /**
   * CPU time (user + system) this process spent in each run, ms, GC threads included: the work
   * itself, much steadier than wall time on a shared machine. Only meaningful for work done in this
   * process (not for time spent waiting on a server or a child process).
   */
  cpuMs: number[];
}

/** A full GC when the process allows it (the runner starts benchmarks with --expose-gc). */
export function settleHeap(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/**
 * Runs `fn` `warmup` times unmeasured, then `n` times, one after the other. The heap is collected
 * before each measured run, so no run pays for the garbage of the one before.
 */
export async function timeRepeated<T>(n: number, fn: () => T | Promise<T>, warmup = 1): Promise<Timings> {
  for (let i = 0; i < warmup; i++) await fn();
  const timings: Timings = { wallMs: [], cpuMs: [] };
  for (let i = 0; i < n; i++) {
    settleHeap();
    const cpu = process.cpuUsage();
    const started = performance.now();
    await fn();
    timings.wallMs.push(performance.now() - started);
    const used = process.cpuUsage(cpu);
    timings.cpuMs.push((used.user + used.system) / 1000);
  }
  return timings;
}

/**
 * timeRepeated for several ways of doing the same thing, taking turns in alternating order
 * (a b c, c b a, a b c, …) so that a change in the machine's load, or whatever one way leaves
 * behind for the next, affects each way alike.
 */
export async function timeAlternating<K extends string>(n: number, fns: Record<K, () => unknown>, warmup = 1): Promise<Record<K, Timings>> {
  const keys = Object.keys(fns) as K[];
  const out = Object.fromEntries(keys.map((k) => [k, { wallMs: [], cpuMs: [] }])) as unknown as Record<K, Timings>;
  for (let i = 0; i < warmup; i++) for (const k of keys) await fns[k]();
  for (let i = 0; i < n; i++) {
    for (const k of i % 2 === 0 ? keys : [...keys].reverse()) {
      const t = await timeRepeated(1, fns[k], 0);
      out[k].wallMs.push(...t.wallMs);
      out[k].cpuMs.push(...t.cpuMs);
    }
  }
  return out;
}

/** What `isolated` reports from the fresh process. */
export interface IsolatedRun<T> {
  result: T;
  /** RSS just before the function ran (after the process started and imported the module), bytes. */
  rssBeforeBytes: number;
  /** The process's peak RSS after the function returned (getrusage maxrss), bytes. */
  peakRssBytes: number;
  /** peakRssBytes − rssBeforeBytes: the memory the function itself needed at its peak. */
  peakGrowthBytes: number;
  ms: number;
}

/**
 * Calls `module`'s export `exportName` with `arg` (JSON) in a fresh Node process and returns its
 * JSON result with that process's memory: peak RSS is per process and never goes down, so each
 * memory figure needs a process of its own. `module` is an import.meta.url or a path.
 */
export function isolated<T>(module: string, exportName: string, arg: unknown, options: { timeoutMs?: number; execArgv?: string[] } = {}): Promise<IsolatedRun<T>> {
  const entry = fileURLToPath(new URL('./isolated.ts', import.meta.url));
  return new Promise((resolve, reject) => {
    const child = fork(entry, [module, exportName, JSON.stringify(arg ?? null)], {
      execArgv: ['--import', 'tsx', ...(options.execArgv ?? [])],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      timeout: options.timeoutMs ?? 300_000,
    });
    let reply: { ok: true; run: IsolatedRun<T> } | { ok: false; error: string } | undefined;
    child.on('message', (m) => (reply = m as typeof reply));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (reply?.ok) resolve(reply.run);
      else reject(new Error(`${exportName} in a fresh process: ${reply && !reply.ok ? reply.error : `exited ${code ?? signal} without a result`}`));
    });
  });
}

let temporalCliVersion: Promise<string> | undefined;

/** The machine the figures come from. The Temporal CLI is only looked up (never built or downloaded). */
export async function machine(): Promise<Machine> {
  temporalCliVersion ??= findTemporalCliVersion();
  return {
    cores: availableParallelism(),
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    temporalCli: await temporalCliVersion,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    loadAverage1m: Math.round(loadavg()[0]! * 100) / 100,
  };
}

async function findTemporalCliVersion(): Promise<string> {
  const { TEMPORAL_CLI, TEMPORAL_CLI_VERSION } = await import('../src/client/temporal-binary.ts');
  const pinned = `${TEMPORAL_CLI_VERSION} (pinned; no binary found)`;
  try {
    const [{ findExisting }, { paths }, { execa }] = await Promise.all([import('../src/host/binaries.ts'), import('../src/config/paths.ts'), import('execa')]);
    const found = await findExisting(TEMPORAL_CLI, process.env, paths.binDir);
    if (!found) return pinned;
    const r = await execa(found.path, ['--version'], { reject: false, timeout: 10_000 });
    const line = (String(r.stdout).trim().split('\n')[0] ?? '').replace(/^temporal version /, '');
    if (r.exitCode !== 0 || !line) return pinned;
    // Our cache holds the pinned version; a `go install` build calls itself 0.0.0-DEV.
    return found.source === 'cache' ? `${TEMPORAL_CLI_VERSION} (cached build; --version: ${line})` : `${line} (from ${found.source})`;
  } catch {
    return pinned;
  }
}

export const MiB = 2 ** 20;
