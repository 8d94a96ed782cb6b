/**
 * Item 6 of [8/8]: the migration analyzer on an hour of captures. An iperf3 3.12 `--json -i 0.1`
 * capture (36,000 intervals) and an hour of `ping -D -O -i 0.01` (360,000 probes), each with one
 * planted outage, are generated in the real tools' exact format (bench/captures.ts) and analysed:
 *
 * - time: `analyzeText` on the text in memory, and file → Analysis the way the CLI does it (read the
 *   whole file, then analyzeText) and streamed (`analyzeFile`), several repetitions each, as CPU
 *   time (steady on a shared machine) and, for analyzeText, wall time too;
 * - throughput: lines (ping) and intervals (iperf3) per CPU second of analyzeText;
 * - peak memory: each way in a fresh process (peak RSS never goes down), as MiB above the process's
 *   RSS before it started and as a multiple of the input's size; and the heap still held once the
 *   Analysis is returned (its samples, one per probe or interval, which no way of reading can avoid,
 *   and whatever else it pins);
 * - the answer: downtime found / outage planted, so a fast wrong analyzer cannot look good.
 */
import assert from 'node:assert/strict';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { analyzeFile, analyzeText, type Analysis } from '../src/analysis/analyze.ts';
import { iperf3Json, pingLog, type Outage } from './captures.ts';
import { MiB, defineBenchmark, dist, distribution, isolated, ratio, settleHeap, timeAlternating, timeRepeated, type BenchContext, type Figure } from './harness.ts';

const STARTED_AT_S = 1795700000;
const IPERF3: { seconds: number; intervalS: number; outage: Outage } = { seconds: 3600, intervalS: 0.1, outage: { fromS: 1800.03, forS: 1.6 } };
const PING: { probes: number; intervalS: number; outage: Outage } = { probes: 360_000, intervalS: 0.01, outage: { fromS: 1800.2, forS: 1.0 } };

interface MemoryArg {
  path: string;
  how: 'whole' | 'streamed';
}

interface MemoryResult {
  downtimeMs: number;
  samples: number;
  /** Heap the returned Analysis keeps after a full GC, bytes. */
  retainedBytes: number;
}

/** Runs in a fresh process (see isolated()): one analysis, the way `how` says. */
export async function analyzeOnce({ path, how }: MemoryArg): Promise<MemoryResult> {
  const heap = () => {
    settleHeap();
    return process.memoryUsage().heapUsed;
  };
  const before = heap();
  let a: Analysis;
  if (how === 'whole') {
    let text: string | undefined = await readFile(path, 'utf8');
    a = analyzeText(text, path);
    text = undefined;
  } else {
    a = await analyzeFile(path, path);
  }
  const retainedBytes = heap() - before;
  return { downtimeMs: a.downtimeMs, samples: a.samples.length, retainedBytes };
}

async function measure(
  ctx: BenchContext,
  kind: 'ping' | 'iperf3',
  path: string,
  text: string,
  units: { count: number; unit: string },
  outage: Outage,
): Promise<Figure[]> {
  const reps = ctx.quick ? 2 : 9;
  const memReps = ctx.quick ? 1 : 3;
  const bytes = (await stat(path)).size;
  const label = `${kind} (${(bytes / MiB).toFixed(1)} MiB, ${units.count.toLocaleString('en-US')} ${units.unit})`;

  // The answer first: a benchmark of a wrong analyzer is worthless.
  const whole = analyzeText(text, path);
  const streamed = await analyzeFile(path, path);
  assert.deepEqual(streamed, whole, `${kind}: analyzeFile and analyzeText disagree`);
  assert.equal(whole.survived, true, `${kind}: the connection survived the planted outage`);
  assert.equal(whole.gaps.length, 1, `${kind}: one gap, the planted outage: ${JSON.stringify(whole.gaps)}`);
  const found = whole.downtimeMs / (outage.forS * 1000);
  ctx.note(`${label}: downtime found ${whole.downtimeMs.toFixed(1)} ms for a planted ${outage.forS * 1000} ms outage at ${whole.resolutionMs.toFixed(1)} ms resolution; analyzeFile and analyzeText agree on every field.`);

  ctx.log(`${kind}: timing analyzeText ×${reps}`);
  const inMemory = await timeRepeated(reps, () => analyzeText(text, path));
  ctx.log(`${kind}: timing file → Analysis, whole and streamed, taking turns ×${reps}`);
  const { whole: fileWhole, streamed: fileStreamed } = await timeAlternating(reps, {
    whole: async () => analyzeText(await readFile(path, 'utf8'), path),
    streamed: () => analyzeFile(path, path),
  });

  ctx.log(`${kind}: peak memory in fresh processes ×${memReps} each`);
  const memory = { whole: [] as number[], streamed: [] as number[], retained: [] as number[] };
  for (let i = 0; i < memReps; i++) {
    for (const how of ['whole', 'streamed'] as const) {
      const run = await isolated<MemoryResult>(import.meta.url, 'analyzeOnce', { path, how } satisfies MemoryArg, { execArgv: ['--expose-gc'] });
      assert.equal(run.result.downtimeMs, whole.downtimeMs, `${kind} ${how} in a fresh process: same downtime`);
      memory[how].push(run.peakGrowthBytes);
      if (how === 'streamed') memory.retained.push(run.result.retainedBytes);
    }
  }
  const med = (xs: number[]) => distribution(xs).median;
  const perInput = (xs: number[]) => xs.map((x) => x / bytes);

  return [
    dist(`${kind}: analyzeText, text in memory, CPU time`, 'ms', inMemory.cpuMs),
    dist(`${kind}: analyzeText, text in memory, wall time`, 'ms', inMemory.wallMs),
    dist(`${kind}: analyzeText throughput (per CPU second)`, `${units.unit}/s`, inMemory.cpuMs.map((ms) => units.count / (ms / 1000)), { key: true }),
    dist(`${kind}: file → Analysis, whole text (readFile + analyzeText), CPU time`, 'ms', fileWhole.cpuMs),
    dist(`${kind}: file → Analysis, streamed (analyzeFile), CPU time`, 'ms', fileStreamed.cpuMs),
    ratio(`${kind}: CPU time, streamed ÷ whole text (medians)`, 'ratio', med(fileStreamed.cpuMs) / med(fileWhole.cpuMs)),
    dist(`${kind}: peak RSS growth, whole text`, 'MiB', memory.whole.map((b) => b / MiB)),
    dist(`${kind}: peak RSS growth, whole text, per input byte`, '× input size', perInput(memory.whole)),
    dist(`${kind}: peak RSS growth, streamed`, 'MiB', memory.streamed.map((b) => b / MiB)),
    dist(`${kind}: peak RSS growth, streamed, per input byte`, '× input size', perInput(memory.streamed), { key: true }),
    ratio(`${kind}: peak RSS growth, streamed ÷ whole text (medians)`, 'ratio', med(memory.streamed) / med(memory.whole), { key: true }),
    dist(`${kind}: heap still held once the Analysis is returned`, '× input size', perInput(memory.retained)),
    ratio(`${kind}: downtime found ÷ outage planted`, 'ratio', found),
  ];
}

export default defineBenchmark({
  title: 'the migration analyzer on an hour of captures (36,000 iperf3 intervals, 360,000 ping lines)',
  async run(ctx) {
    ctx.log('generating an hour of iperf3 --json -i 0.1 and of ping -D -O -i 0.01');
    const iperf3 = iperf3Json({ ...IPERF3, startedAtS: STARTED_AT_S });
    const ping = pingLog({ ...PING, startedAtS: STARTED_AT_S + 0.5 });
    const files = { iperf3: join(ctx.tmpDir, 'iperf3.json'), ping: join(ctx.tmpDir, 'ping.log') };
    await writeFile(files.iperf3, iperf3.text);
    await writeFile(files.ping, ping.text);
    ctx.note(
      `Input: iperf3 3.12 --json, ${iperf3.intervals.toLocaleString('en-US')} intervals, outage ${IPERF3.outage.forS} s at ${IPERF3.outage.fromS} s; ping -D -O -i 0.01, ${ping.lines.toLocaleString('en-US')} lines, outage ${PING.outage.forS} s at ${PING.outage.fromS} s (bench/captures.ts; files in the page cache, so disk speed is not measured).`,
    );
    const figures = [
      ...(await measure(ctx, 'ping', files.ping, ping.text, { count: ping.lines, unit: 'lines' }, PING.outage)),
      ...(await measure(ctx, 'iperf3', files.iperf3, iperf3.text, { count: iperf3.intervals, unit: 'intervals' }, IPERF3.outage)),
    ];
    return figures;
  },
});
