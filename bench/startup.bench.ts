/**
 * Start-up: what a person waits for before `udn-demo` answers, and what a new worker costs before it
 * takes work. From spawn to exit for `udn-demo --help` and `udn-demo --version`, from spawn to the
 * first poll of its task queue for `udn-demo worker` against a dev server, and each one's peak RSS,
 * beside `node -e 0` (Node's own start) measured in the same run, the ways taking turns. It
 * measures bin/udn-demo.js as it runs now: the compiled CLI when dist/ is current, else the
 * sources through tsx (the record says which).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { defineBenchmark, dist, distribution, ratio, type Figure } from './harness.ts';

const BIN = fileURLToPath(new URL('../bin/udn-demo.js', import.meta.url));
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RSS_MARK = 'startup-bench-peak-rss-kib';
/**
 * Loaded with --import into every process measured, `node -e 0` included: its main thread writes
 * the process's peak RSS to stderr as it exits (peak RSS is per process, so only the process knows).
 */
const RSS_REPORTER = `data:text/javascript,${encodeURIComponent(
  `import { writeSync } from 'node:fs';
   import { isMainThread } from 'node:worker_threads';
   if (isMainThread) process.on('exit', () => writeSync(2, '\\n${RSS_MARK} ' + process.resourceUsage().maxRSS + '\\n'));`,
)}`;
const POLLING = /worker: polling task queue/;
const MiB_PER_KiB = 1 / 1024;

interface Sample {
  /** Spawn → exit, or spawn → the worker's "polling" line. */
  ms: number;
  peakRssMiB: number;
}

/**
 * One process: spawn → exit; or, with `readyWhen`, spawn → the first stderr that matches, after
 * which it is stopped with SIGTERM (a worker drains and exits) so that it reports its peak RSS.
 */
function sample(args: readonly string[], env: NodeJS.ProcessEnv, readyWhen?: RegExp): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--import', RSS_REPORTER, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let readyAt: number | undefined;
    let exitedAt = Number.NaN;
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (readyWhen && readyAt === undefined && readyWhen.test(stderr)) {
        readyAt = performance.now();
        child.kill('SIGTERM');
      }
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('exit', () => (exitedAt = performance.now()));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const rss = new RegExp(`^${RSS_MARK} (\\d+)$`, 'm').exec(stderr);
      const end = readyWhen ? readyAt : exitedAt;
      if (code !== 0 || !rss || end === undefined) {
        reject(new Error(`node ${args.join(' ')}: exited ${code ?? signal}${readyWhen && readyAt === undefined ? ' before it was ready' : ''}${rss ? '' : ', no peak RSS reported'}:\n${stderr.slice(-2000)}`));
        return;
      }
      resolve({ ms: end - started, peakRssMiB: Number(rss[1]) * MiB_PER_KiB });
    });
  });
}

/**
 * `npx …` from the project's directory, spawn → exit (npm's own process and the one it starts; no
 * RSS: the reporter cannot ride along through npm). `npx` is the one on PATH, run by the Node on PATH.
 */
function npxSample(args: readonly string[], env: NodeJS.ProcessEnv): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('npx', args, { env, cwd: ROOT, stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', (code, signal) => (code === 0 ? resolve({ ms: performance.now() - started, peakRssMiB: Number.NaN }) : reject(new Error(`npx ${args.join(' ')}: exited ${code ?? signal}`))));
  });
}

const median = (samples: readonly Sample[]) => distribution(samples.map((s) => s.ms)).median;

/** Nearest-rank 90th percentile (the harness's distributions stop at p95). */
function p90(samples: readonly Sample[]): number {
  const sorted = samples.map((s) => s.ms).sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(0.9 * sorted.length) - 1)]!;
}

/** Whether bin/udn-demo.js runs the compiled CLI now; a checkout from before there was one has no bin/build-stamp.js. */
async function runsCompiled(): Promise<boolean> {
  try {
    const stamp = (await import(new URL('../bin/build-stamp.js', import.meta.url).href)) as { compiledIsCurrent(): boolean };
    return stamp.compiledIsCurrent();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND') return false;
    throw err;
  }
}

export default defineBenchmark({
  title: 'Start-up: udn-demo --help, --version and a worker\'s first poll vs. node -e 0 (spawn → exit, spawn → first poll; peak RSS)',
  async run(ctx): Promise<Figure[]> {
    const compiled = await runsCompiled();
    ctx.note(`bin/udn-demo.js ran ${compiled ? 'the compiled CLI (dist/ current with src/)' : 'the sources through tsx (no current dist/)'}`);
    const n = ctx.quick ? 5 : 15;
    const workers = ctx.quick ? 3 : 7;
    const env = { ...process.env, UDN_DEMO_OFFLINE: '1' };
    const ways = {
      'node -e 0': ['-e', '0'],
      'udn-demo --help': [BIN, '--help'],
      'udn-demo --version': [BIN, '--version'],
    } as const;
    type Way = keyof typeof ways;
    const samples = Object.fromEntries(Object.keys(ways).map((w) => [w, [] as Sample[]])) as Record<Way, Sample[]>;
    const order = Object.keys(ways) as Way[];
    ctx.log(`warm-up, then ${n} rounds of ${order.join(', ')}`);
    for (const way of order) await sample(ways[way], env);
    for (let i = 0; i < n; i++) {
      for (const way of i % 2 === 0 ? order : [...order].reverse()) samples[way].push(await sample(ways[way], env));
    }

    // How people start it from a clone (README), and npx's own cost: a local bin of another package,
    // which npx finds in node_modules/.bin at once (a package's own bin costs it more: it links the
    // package into its cache and reads the whole dependency tree).
    const npxWays = { 'npx udn-demo --help': ['udn-demo', '--help'], 'npx node-which node': ['node-which', 'node'] } as const;
    type NpxWay = keyof typeof npxWays;
    const npx = { 'npx udn-demo --help': [] as Sample[], 'npx node-which node': [] as Sample[] } satisfies Record<NpxWay, Sample[]>;
    const npxRounds = ctx.quick ? 2 : 7;
    ctx.log(`${npxRounds} rounds of ${Object.keys(npxWays).join(', ')}`);
    for (const way of Object.keys(npxWays) as NpxWay[]) await npxSample(npxWays[way], env);
    for (let i = 0; i < npxRounds; i++) for (const way of Object.keys(npxWays) as NpxWay[]) npx[way].push(await npxSample(npxWays[way], env));

    const { startTestServer } = await import('../test/helpers/temporal-env.ts');
    ctx.log('starting a dev server');
    const server = await startTestServer();
    const worker: Sample[] = [];
    try {
      const workerEnv = { ...env, TEMPORAL_ADDRESS: server.address };
      ctx.log(`warm-up worker (fills the workflow-bundle cache), then ${workers} workers`);
      await sample([BIN, 'worker'], workerEnv, POLLING);
      for (let i = 0; i < workers; i++) worker.push(await sample([BIN, 'worker'], workerEnv, POLLING));
    } finally {
      await server.teardown();
    }

    const base = median(samples['node -e 0']);
    const rss = (s: readonly Sample[]) => s.map((x) => x.peakRssMiB);
    ctx.note(`p90 (nearest rank): node -e 0 ${p90(samples['node -e 0']).toFixed(0)} ms, --help ${p90(samples['udn-demo --help']).toFixed(0)} ms, --version ${p90(samples['udn-demo --version']).toFixed(0)} ms, worker first poll ${p90(worker).toFixed(0)} ms`);
    ctx.note('each process loads a tiny --import module that reports its peak RSS as it exits (node -e 0 too); the worker is stopped with SIGTERM at its "worker: polling" line, which it prints just before its first poll (bench/resumption: 1–4 ms before), and its peak RSS covers the drain');
    ctx.note('the workflow bundle comes from the cache (a warm-up worker filled it): webpack is not measured here (bench/resumption)');
    return [
      dist('udn-demo --help: spawn → exit', 'ms', samples['udn-demo --help'].map((s) => s.ms), { key: true }),
      dist('udn-demo --version: spawn → exit', 'ms', samples['udn-demo --version'].map((s) => s.ms)),
      dist('udn-demo worker: spawn → first poll', 'ms', worker.map((s) => s.ms), { key: true }),
      dist('node -e 0: spawn → exit', 'ms', samples['node -e 0'].map((s) => s.ms)),
      dist('npx udn-demo --help: spawn → exit', 'ms', npx['npx udn-demo --help'].map((s) => s.ms), { key: true }),
      dist("npx node-which node (npx's own cost for a local bin): spawn → exit", 'ms', npx['npx node-which node'].map((s) => s.ms), { key: true }),
      ratio('npx udn-demo --help / udn-demo --help (medians)', '×', median(npx['npx udn-demo --help']) / median(samples['udn-demo --help'])),
      ratio('udn-demo --help / node -e 0 (medians)', '×', median(samples['udn-demo --help']) / base, { key: true }),
      ratio('udn-demo --version / node -e 0 (medians)', '×', median(samples['udn-demo --version']) / base),
      ratio('udn-demo worker first poll / node -e 0 (medians)', '×', median(worker) / base),
      dist('udn-demo --help: peak RSS', 'MiB', rss(samples['udn-demo --help']), { key: true }),
      dist('udn-demo --version: peak RSS', 'MiB', rss(samples['udn-demo --version'])),
      dist('udn-demo worker: peak RSS (start, first poll, drain)', 'MiB', rss(worker)),
      dist('node -e 0: peak RSS', 'MiB', rss(samples['node -e 0'])),
    ];
  },
});
