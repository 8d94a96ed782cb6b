import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { analyzeText, type Analysis } from '../analysis/analyze.ts';
import { kubeConfigFor } from '../cluster/kube.ts';
import { collectExperiment, startExperiment, type ExperimentTarget } from '../cluster/traffic/experiment.ts';
import { paths } from '../config/paths.ts';
import type { GuestConfig } from '../config/schema.ts';
import { sleep } from '../host/abortable.ts';
import type { ClusterRef } from '../model/cluster.ts';
import { withProgress } from './heartbeat.ts';
import { consoleOptionsFor } from './probes.ts';
import type { CaptureSummary, CollectTrafficRequest, StartTrafficRequest, TrafficHandle, TrafficReport } from '../model/activities.ts';

export function startTraffic(req: StartTrafficRequest): Promise<TrafficHandle> {
  return withProgress(async (progress, signal) => {
    const t = target(req.cluster, req, req.guest, signal);
    const { restarted } = await startExperiment(t, req.intervalMs, progress);
    const { experimentId, server, client, serverAddress, port } = req;
    return { experimentId, server, client, serverAddress, port, startedAt: new Date().toISOString(), restarted };
  });
}

/**
 * Lets the traffic run for the tail after the migration, stops it, keeps the raw captures on
 * disk (too large for workflow history) and returns what they prove.
 */
export function collectTraffic(req: CollectTrafficRequest): Promise<TrafficReport> {
  return withProgress(async (progress, signal) => {
    const waitMs = Date.parse(req.migration.endedAt) + req.tailSeconds * 1000 - Date.now();
    if (waitMs > 0) {
      progress(`letting traffic run ${Math.ceil(waitMs / 1000)} s after the migration`);
      await sleep(waitMs, signal);
    }
    const t = target(req.cluster, req.handle, req.guest, signal);
    const captures = await collectExperiment(t, 120_000);
    const dir = join(paths.dataDir, 'runs', req.handle.experimentId);
    await mkdir(dir, { recursive: true });
    const files = { iperf3: join(dir, 'iperf3.json'), ping: join(dir, 'ping.log') };
    await writeFile(files.iperf3, captures.iperf3);
    await writeFile(files.ping, captures.ping);
    const migrationWindow = (startedAtMs: number | null) =>
      startedAtMs === null ? undefined : { startMs: Date.parse(req.migration.startedAt) - startedAtMs, endMs: Date.parse(req.migration.endedAt) - startedAtMs };
    const iperf3 = analyzeText(captures.iperf3, files.iperf3, migrationWindow);
    const ping = analyzeText(captures.ping, files.ping, migrationWindow);
    // The finer clock measures the outage: the 10 ms ping, unless it proved nothing.
    const finest = Number.isFinite(ping.resolutionMs) && Number.isFinite(ping.downtimeMs) ? ping : iperf3;
    const report: TrafficReport = {
      survived: iperf3.survived,
      downtimeMs: finite(finest.downtimeMs),
      resolutionMs: finite(finest.resolutionMs),
      retransmits: iperf3.retransmits,
      throughputBeforeGbps: iperf3.throughputBeforeGbps,
      throughputAfterGbps: iperf3.throughputAfterGbps,
      iperf3: summaryOf(iperf3),
      ping: summaryOf(ping),
      restarted: req.handle.restarted,
      rawFiles: [files.iperf3, files.ping],
      summary: describe(iperf3, ping, finest, req.handle.restarted),
    };
    progress(report.summary);
    return report;
  });
}

function target(cluster: ClusterRef, r: Pick<StartTrafficRequest, 'experimentId' | 'server' | 'client' | 'serverAddress' | 'port'>, guest: GuestConfig, signal: AbortSignal): ExperimentTarget {
  return { kc: kubeConfigFor(cluster), experimentId: r.experimentId, server: r.server, client: r.client, serverAddress: r.serverAddress, port: r.port, console: consoleOptionsFor(guest, 10, signal) };
}

function summaryOf(a: Analysis): CaptureSummary {
  return { survived: a.survived, downtimeMs: finite(a.downtimeMs), resolutionMs: finite(a.resolutionMs), error: a.error };
}

function finite(x: number): number | null {
  return Number.isFinite(x) ? Math.round(x) : null;
}

function describe(iperf3: Analysis, ping: Analysis, finest: Analysis, restarted: boolean): string {
  const ms = (x: number) => (Number.isFinite(x) ? `${Math.round(x)} ms` : 'unknown');
  const tcp = iperf3.survived ? 'TCP session survived' : `TCP session broke${iperf3.error ? ` (${iperf3.error})` : ''}`;
  const gbps = (x: number | null) => (x === null ? '?' : x.toFixed(2));
  return [
    `${tcp}; longest outage ${ms(finest.downtimeMs)} at ${ms(finest.resolutionMs)} resolution (${finest.kind})`,
    `iperf3 ${ms(iperf3.downtimeMs)} at ${ms(iperf3.resolutionMs)}, ${iperf3.retransmits ?? '?'} retransmits, ${gbps(iperf3.throughputBeforeGbps)} → ${gbps(iperf3.throughputAfterGbps)} Gbit/s`,
    `ping ${ms(ping.downtimeMs)} at ${ms(ping.resolutionMs)}`,
    ...(restarted ? ['the experiment was restarted from its beginning after its first client had ended'] : []),
  ].join('; ');
}
