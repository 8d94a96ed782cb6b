import { analyzeFile, type Analysis } from '../analysis/analyze.ts';
import { errorMessage, firstLine } from '../errors.ts';
import type { DemoResult } from '../model/result.ts';

/** Everything a report shows: the result, and the migration captures analysed on one timeline. */
export interface ReportData {
  result: DemoResult;
  generatedAt: string;
  traffic: Traffic | null;
}

export interface Series {
  /** Seconds since the migration started (negative before it). */
  x: number;
  value: number;
}

export interface Traffic {
  iperf3: Analysis | null;
  ping: Analysis | null;
  throughput: Series[];
  rtt: Series[];
  /** The migration, in seconds since its start: [0, duration]. */
  window: { start: number; end: number };
  /** The longest outage, in seconds since the migration started. */
  outage: { start: number; end: number } | null;
  /** Captures that could not be read (moved, another machine). */
  problems: string[];
}

/** Reads and analyses the run's captures, if this machine has them. */
export async function loadReportData(result: DemoResult, now = new Date()): Promise<ReportData> {
  return { result, generatedAt: now.toISOString(), traffic: await loadTraffic(result) };
}

async function loadTraffic(result: DemoResult): Promise<Traffic | null> {
  const m = result.migration;
  if (!m || m.captures.length === 0) return null;
  const t0 = Date.parse(m.startedAt);
  const problems: string[] = [];
  let iperf3: Analysis | null = null;
  let ping: Analysis | null = null;
  for (const file of m.captures) {
    try {
      const a = await analyzeFile(file);
      if (a.kind === 'iperf3') iperf3 = a;
      else ping = a;
    } catch (err) {
      problems.push(firstLine(errorMessage(err)));
    }
  }
  const toSeries = (a: Analysis | null) => (a?.startedAtMs === null || !a ? [] : a.samples.map((s) => ({ x: (a.startedAtMs! + s.t - t0) / 1000, value: s.value })));
  const finest = ping && Number.isFinite(ping.downtimeMs) && ping.startedAtMs !== null ? ping : iperf3;
  const longest = finest?.gaps.reduce<{ startMs: number; endMs: number } | null>((a, g) => (!a || g.endMs - g.startMs > a.endMs - a.startMs ? g : a), null) ?? null;
  return {
    iperf3,
    ping,
    throughput: toSeries(iperf3),
    rtt: toSeries(ping),
    window: { start: 0, end: (Date.parse(m.endedAt) - t0) / 1000 },
    outage: longest && finest?.startedAtMs != null ? { start: (finest.startedAtMs + longest.startMs - t0) / 1000, end: (finest.startedAtMs + longest.endMs - t0) / 1000 } : null,
    problems,
  };
}
