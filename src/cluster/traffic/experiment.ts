import type { KubeConfig } from '@kubernetes/client-node';
import { sleep } from '../../host/abortable.ts';
import type { WorkloadRef } from '../../model/workload.ts';
import { withConsole, type ConsoleOptions } from '../console/sessions.ts';
import { experimentFiles } from './guest-files.ts';

const COMMAND_MS = 20_000;
/** ping's interval below 0.2 s needs root: 10 ms through sudo (the cloud user's sudo needs no password). */
const PING_INTERVAL = '0.01';
/** Long enough never to end by itself: the collect step stops it with SIGINT, as the talk's presenter does with ^C. */
const CLIENT_SECONDS = '86400';

export interface ExperimentTarget {
  kc: KubeConfig;
  experimentId: string;
  server: WorkloadRef;
  client: WorkloadRef;
  serverAddress: string;
  port: number;
  /** Its signal aborts the consoles and the waits between them. */
  console: ConsoleOptions;
}

/** Traffic could not be started (a server not listening yet, a refused connection): try again. */
export class TrafficNotStarted extends Error {
  override name = 'TrafficNotStarted';
}

/**
 * Starts the experiment's traffic, or finds it running: the one-off iperf3 server on the VM that
 * migrates, the client (JSON, `intervalMs` reports) and a timestamped 10 ms ping on the other.
 * Safe to repeat: a running client means it is under way; a client that already ended has
 * consumed its one-off server, so the experiment starts over from its beginning and says so.
 */
export async function startExperiment(t: ExperimentTarget, intervalMs: number, progress: (line: string) => void): Promise<{ restarted: boolean; reused: boolean }> {
  const f = experimentFiles(t.experimentId);
  const onClient = <T>(work: Parameters<typeof withConsole<T>>[3]) => withConsole(t.kc, t.client, t.console, work);
  const state = await onClient(async (sh) => ({ pid: await sh.alive(f.clientPid, COMMAND_MS), output: await sh.readFile(f.clientJson, COMMAND_MS) }));
  if (state.pid) {
    progress(`traffic already running (iperf3 client pid ${state.pid})`);
    return { restarted: false, reused: true };
  }
  const restarted = Boolean(state.output?.trim());
  await withConsole(t.kc, t.server, t.console, async (sh) => {
    if (await sh.alive(f.serverPid, COMMAND_MS)) return;
    const pid = await sh.startBackground(['iperf3', '-s', '-p', String(t.port), '-1'], f.serverLog, COMMAND_MS, f.serverPid);
    progress(`iperf3 server on ${t.server.name}:${t.port} (pid ${pid})`);
  });
  return onClient(async (sh) => {
    if (restarted) {
      const ping = await sh.alive(f.pingPid, COMMAND_MS);
      if (ping) await sh.exec(['kill', '-INT', String(ping)], COMMAND_MS);
      await sh.exec(['rm', '-f', f.clientJson, f.pingLog], COMMAND_MS);
      progress('an earlier client had ended and consumed the one-off server: starting the experiment over');
    }
    const interval = String(intervalMs / 1000);
    const pid = await sh.startBackground(['iperf3', '-c', t.serverAddress, '-p', String(t.port), '-t', CLIENT_SECONDS, '-i', interval, '--json'], f.clientJson, COMMAND_MS, f.clientPid);
    if (!(await sh.alive(f.pingPid, COMMAND_MS))) await sh.startBackground(['sudo', 'ping', '-D', '-O', '-i', PING_INTERVAL, t.serverAddress], f.pingLog, COMMAND_MS, f.pingPid);
    // A client that cannot connect exits at once, its reason inside its JSON.
    await sleep(1_000, t.console.signal);
    if (!(await sh.alive(f.clientPid, COMMAND_MS))) {
      const out = (await sh.readFile(f.clientJson, COMMAND_MS)) ?? '';
      throw new TrafficNotStarted(`iperf3 client ${t.client.name} → ${t.serverAddress}:${t.port} exited at once: ${/"error":\s*"([^"]+)"/.exec(out)?.[1] ?? out.trim().slice(0, 200)}`);
    }
    progress(`iperf3 client on ${t.client.name} (pid ${pid}), ${interval} s reports; ping -D -O -i ${PING_INTERVAL}`);
    return { restarted, reused: false };
  });
}

/**
 * Stops the client and the ping with SIGINT (iperf3 then writes its JSON document, ping its
 * summary), waits until both files are complete, and returns them.
 */
export async function collectExperiment(t: ExperimentTarget, timeoutMs: number): Promise<{ iperf3: string; ping: string }> {
  const f = experimentFiles(t.experimentId);
  const deadline = Date.now() + timeoutMs;
  const captures = await withConsole(t.kc, t.client, t.console, async (sh) => {
    for (const pidFile of [f.clientPid, f.pingPid]) {
      const pid = await sh.alive(pidFile, COMMAND_MS);
      if (pid) await sh.exec(['kill', '-INT', String(pid)], COMMAND_MS);
    }
    for (;;) {
      const iperf3 = (await sh.readFile(f.clientJson, COMMAND_MS)) ?? '';
      const ping = (await sh.readFile(f.pingLog, COMMAND_MS)) ?? '';
      if (completeJson(iperf3) && /packet loss/.test(ping)) return { iperf3, ping };
      if (Date.now() > deadline) throw new Error(`the experiment's outputs were not complete within ${Math.round(timeoutMs / 1000)} s (iperf3 ${iperf3.length} bytes, ping ${ping.length} bytes)`);
      await sleep(500, t.console.signal);
    }
  });
  // The one-off server ends with its client; stop it in case it never got one.
  await withConsole(t.kc, t.server, t.console, async (sh) => {
    const pid = await sh.alive(f.serverPid, COMMAND_MS);
    if (pid) await sh.exec(['kill', String(pid)], COMMAND_MS);
  });
  return captures;
}

function completeJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
