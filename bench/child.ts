/**
 * Runs one benchmark file in this process and writes its record: the runner (run.ts) starts one of
 * these per benchmark, so a record's peak memory belongs to that benchmark alone.
 * Usage: node --import tsx --expose-gc bench/child.ts bench/<name>.bench.ts (npm run bench does this)
 */
import { rmSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { textTable } from './format.ts';
import { MiB, machine, type BenchRecord, type Benchmark, type Figure } from './harness.ts';

export const RESULTS_DIR = new URL('./results/', import.meta.url);

export function benchName(file: string): string {
  return basename(file).replace(/\.bench\.ts$/, '');
}

function checkFigure(name: string, f: Figure): void {
  const numbers = 'ratio' in f ? [f.ratio] : 'distribution' in f ? [f.distribution.median, f.distribution.p95, f.distribution.min, f.distribution.max] : [];
  if (numbers.length === 0 || !f.figure || !f.unit) throw new Error(`${name}: figure ${JSON.stringify(f)} needs figure, unit and a ratio or a distribution`);
  if (numbers.some((x) => !Number.isFinite(x))) throw new Error(`${name}: figure "${f.figure}" is not a finite number: ${JSON.stringify(f)}`);
}

async function main(file: string): Promise<void> {
  const name = benchName(file);
  const mod = (await import(pathToFileURL(file).href)) as { default?: Benchmark };
  const bench = mod.default;
  if (!bench || typeof bench.run !== 'function') throw new Error(`${file}: the default export must be defineBenchmark({ title, run })`);
  const date = new Date().toISOString();
  const started = performance.now();
  const tmpDir = await mkdtemp(join(tmpdir(), `udn-bench-${name}-`));
  // Before anything imports src/config/paths.ts (machine() does): it reads the data directory once,
  // and a benchmark's sandboxes, servers and runs must not land in the user's own.
  process.env.UDN_DEMO_DATA_DIR = join(tmpDir, 'data');
  const host = await machine();
  // Stopped by ^C or the runner's timeout: leave no scratch files behind.
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    process.once(signal, () => {
      rmSync(tmpDir, { recursive: true, force: true });
      process.exit(code);
    });
  }
  const notes: string[] = [];
  const quick = process.env.BENCH_QUICK === '1';
  let figures: Figure[];
  try {
    figures = await bench.run({ log: (line) => process.stderr.write(`[${name}] ${line}\n`), note: (line) => notes.push(line), tmpDir, quick });
  } finally {
    await rm(tmpDir, { recursive: true, force: true });
  }
  for (const f of figures) checkFigure(name, f);
  const record: BenchRecord = {
    name,
    title: bench.title,
    figures,
    machine: host,
    date,
    peakRssMiB: Math.round((process.resourceUsage().maxRSS * 1024) / MiB),
    durationS: Math.round((performance.now() - started) / 100) / 10,
    notes,
    quick,
  };
  await mkdir(RESULTS_DIR, { recursive: true });
  const out = new URL(`${name}.json`, RESULTS_DIR);
  await writeFile(out, `${JSON.stringify(record, null, 2)}\n`);
  process.stdout.write(`\n${textTable(record)}\n\nrecord: bench/results/${name}.json\n${JSON.stringify(record)}\n`);
}

const file = process.argv[2];
if (file && import.meta.url === pathToFileURL(process.argv[1]!).href) {
  main(file).catch((err: unknown) => {
    process.stderr.write(`[${benchName(file)}] failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  });
}
