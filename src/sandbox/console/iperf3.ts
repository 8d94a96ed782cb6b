import { randomBytes } from 'node:crypto';
import { resolveName } from '../dataplane/internet.ts';
import { reach, type Endpoint } from '../dataplane/reachability.ts';
import type { Guest, IperfServer } from './guest.ts';
import type { Io } from './io.ts';
import { pause } from './net-tools.ts';

const VERSION = 'iperf 3.17.1';
/** A virtio-net VM pair on one kind host moves a few Gbit/s over the UDN. */
const BASE_GBPS = 2.8;
const MSS = 1348;

/** iperf3 as Fedora's: `-s -p P [-1] [-D]` and `-c HOST -p P -t T -i I [--json]`. */
export async function iperf3(args: string[], g: Guest, io: Io): Promise<number> {
  const opt = (short: string, long: string) => {
    const i = args.findIndex((a) => a === short || a === long);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const port = Number(opt('-p', '--port') ?? 5201);
  if (args.includes('-s') || args.includes('--server')) {
    const oneOff = args.includes('-1') || args.includes('--one-off');
    if (!args.includes('-D')) return server(port, oneOff, g, io);
    // -D daemonizes: the server lives on as its own process.
    const pid = g.pid();
    const daemon = new AbortController();
    g.processes.set(pid, { name: 'iperf3', stop: (signal) => daemon.abort(signal) });
    void server(port, oneOff, g, { ...io, out: () => undefined, signal: daemon.signal }).finally(() => g.processes.delete(pid));
    return 0;
  }
  const host = opt('-c', '--client');
  if (!host) return usage(io);
  return client(host, port, Number(opt('-t', '--time') ?? 10), Number(opt('-i', '--interval') ?? 1), args.includes('-J') || args.includes('--json'), g, io);
}

function usage(io: Io): number {
  io.err('iperf3: parameter error - must either be a client (-c) or server (-s)\n\nUsage: iperf3 [-s|-c host] [options]\n');
  return 1;
}

async function server(port: number, oneOff: boolean, g: Guest, io: Io): Promise<number> {
  if (g.servers.has(port)) {
    io.err('iperf3: error - unable to start listener for connections: Address already in use\niperf3: exiting\n');
    return 1;
  }
  const ended = new AbortController();
  const banner = `-----------------------------------------------------------\nServer listening on ${port} (test #1)\n-----------------------------------------------------------\n`;
  io.out(banner);
  const done = new Promise<void>((resolve) => {
    const stop = () => {
      g.servers.delete(port);
      ended.abort();
      resolve();
    };
    const s: IperfServer = {
      oneOff,
      stopped: ended.signal,
      connected: (from) => io.out(`Accepted connection from ${from}, port ${40000 + (g.pid() % 20000)}\n`),
      finished: () => (oneOff ? stop() : io.out(banner)),
    };
    g.servers.set(port, s);
    io.signal.addEventListener('abort', stop, { once: true });
  });
  await done;
  return io.signal.aborted ? 130 : 0;
}

interface Interval {
  start: number;
  end: number;
  bytes: number;
  retransmits: number;
}

async function client(host: string, port: number, seconds: number, interval: number, json: boolean, g: Guest, io: Io): Promise<number> {
  const self = g.ctx.self();
  const address = resolveName(host);
  if (!address || !self) return fail(`unable to resolve host: ${host}`);
  const outcome = reach(g.ctx.world(), self, address, 'TCP', port);
  const peer = outcome.kind !== 'dropped' && outcome.target?.kind === 'VirtualMachineInstance' ? g.ctx.peer(outcome.target.namespace, outcome.target.name) : undefined;
  const srv = peer?.servers.get(port);
  if (outcome.kind === 'dropped') {
    await pause(75 * g.ctx.second, io);
    return fail('unable to connect to server - server may have stopped running or use a different port, firewall issue, etc.: Connection timed out');
  }
  if (!srv || !outcome.target) return fail('unable to connect to server - server may have stopped running or use a different port, firewall issue, etc.: Connection refused');
  const target: Endpoint = outcome.target;
  srv.connected(self.ip);
  const localPort = 40000 + (g.pid() % 20000);
  const started = Date.now();
  const intervals: Interval[] = [];
  let error: string | undefined;
  if (!json) io.out(`Connecting to host ${address}, port ${port}\n[  5] local ${self.ip} port ${localPort} connected to ${address} port ${port}\n[ ID] Interval           Transfer     Bitrate         Retr  Cwnd\n`);
  let lastWall = started;
  for (let t = 0; t < seconds - 1e-9 && !error; t += interval) {
    const end = Math.min(seconds, t + interval);
    if (!(await pause((end - t) * g.ctx.second, io))) {
      // ^C or kill: iperf3 reports what it measured, with the interrupt as its error.
      error = 'interrupt - the client has terminated';
      break;
    }
    const w = g.ctx.world();
    const me = w.endpoints.find((e) => e.kind === self.kind && e.namespace === self.namespace && e.name === self.name);
    const them = w.endpoints.find((e) => e.kind === target.kind && e.namespace === target.namespace && e.name === target.name);
    // A reset (RST) reaches the control connection too, which iperf3 reads first.
    if ((me?.tcpResets ?? 0) > (self.tcpResets ?? 0) || (them?.tcpResets ?? 0) > (target.tcpResets ?? 0)) {
      error = 'unable to receive control message: Connection reset by peer';
      break;
    }
    if (srv.stopped.aborted || !me || !them || me.ip !== self.ip || them.ip !== target.ip) {
      error = 'control socket has closed unexpectedly';
      break;
    }
    // A dropped path (a policy, a VM switching over to its new node) moves nothing; TCP then
    // retransmits what was in flight once the path is back.
    const cut = reach(w, me, them.ip, 'TCP', port).kind === 'dropped';
    const load = cut ? 0 : (me.migrating || them.migrating ? 0.8 : 1) * (0.95 + Math.random() * 0.1);
    // The guest's clock is the wall clock (ping -D, Kubernetes' timestamps): a sped-up sandbox
    // reports intervals as long as they really were, so every capture shares one timeline.
    const span = g.ctx.second === 0 ? { start: t, end } : { start: (lastWall - started) / 1000, end: (Date.now() - started) / 1000 };
    lastWall = Date.now();
    const bytes = Math.round((BASE_GBPS * 1e9 * load * (span.end - span.start)) / 8);
    const afterCut = intervals.at(-1)?.bytes === 0;
    const iv = { ...span, bytes, retransmits: cut ? 0 : afterCut ? 60 + Math.round(Math.random() * 200) : Math.random() < 0.1 ? 1 : 0 };
    intervals.push(iv);
    if (!json) io.out(`${textLine(iv)}  ${bytes === 0 ? '  0.00 Bytes' : '  3.05 MBytes'}\n`);
  }
  srv.finished();
  const interrupted = error?.startsWith('interrupt');
  const elapsed = g.ctx.second === 0 ? seconds : (Date.now() - started) / 1000;
  if (json) {
    io.out(`${JSON.stringify(jsonDocument(g, self, target, address, port, localPort, seconds, intervals, error, started), null, 2)}\n`);
    return interrupted ? 1 : 0;
  }
  if (error && !interrupted) return fail(error);
  const total = sum(intervals, seconds);
  io.out(`- - - - - - - - - - - - - - - - - - - - - - - - -\n[ ID] Interval           Transfer     Bitrate         Retr\n`);
  io.out(`${textLine(total)}             sender\n${textLine({ ...total, end: Math.max(elapsed, seconds) })}                  receiver\n`);
  if (interrupted) {
    io.err(`iperf3: ${error}\n`);
    return 1;
  }
  io.out('\niperf Done.\n');
  return 0;

  function fail(message: string): number {
    if (json) io.out(`${JSON.stringify({ start: {}, intervals: [], end: {}, error: message }, null, 2)}\n`);
    else io.err(`iperf3: error - ${message}\n`);
    return json ? 0 : 1;
  }
}

function sum(intervals: Interval[], seconds: number): Interval {
  return { start: 0, end: intervals.at(-1)?.end ?? seconds, bytes: intervals.reduce((a, i) => a + i.bytes, 0), retransmits: intervals.reduce((a, i) => a + i.retransmits, 0) };
}

/** iperf3's own text layout: `[  5]   0.00-1.00   sec   330 MBytes  2.77 Gbits/sec    0`. */
function textLine(i: Interval): string {
  const range = `${i.start.toFixed(2).padStart(6)}-${i.end.toFixed(2).padEnd(6)} sec`;
  const secs = Math.max(i.end - i.start, 1e-9);
  return `[  5] ${range} ${units(i.bytes, 1024, 'Bytes').padStart(12)} ${units((i.bytes * 8) / secs, 1000, 'bits/sec').padStart(15)} ${String(i.retransmits).padStart(5)}`;
}

function units(value: number, base: number, unit: string): string {
  const prefixes = ['', 'K', 'M', 'G', 'T'];
  let v = value;
  let p = 0;
  while (v >= base && p < prefixes.length - 1) {
    v /= base;
    p++;
  }
  const digits = v < 10 ? 2 : v < 100 ? 1 : 0;
  return `${v.toFixed(digits)} ${prefixes[p]}${unit}`;
}

function jsonDocument(g: Guest, self: Endpoint, target: Endpoint, address: string, port: number, localPort: number, seconds: number, intervals: Interval[], error: string | undefined, startedMs: number) {
  const startSecs = Math.floor(startedMs / 1000);
  const stream = (i: Interval) => ({ socket: 5, start: i.start, end: i.end, seconds: i.end - i.start, bytes: i.bytes, bits_per_second: (i.bytes * 8) / Math.max(i.end - i.start, 1e-9), retransmits: i.retransmits, snd_cwnd: 3_198_000, rtt: 412, omitted: false, sender: true });
  const total = sum(intervals, seconds);
  return {
    start: {
      connected: [{ socket: 5, local_host: self.ip, local_port: localPort, remote_host: target.ip, remote_port: port }],
      version: VERSION,
      system_info: `Linux ${g.hostname} 6.11.4-301.fc41.x86_64 #1 SMP PREEMPT_DYNAMIC x86_64`,
      timestamp: { time: new Date(startSecs * 1000).toUTCString(), timesecs: startSecs },
      connecting_to: { host: address, port },
      cookie: randomBytes(18).toString('base64url').slice(0, 36),
      tcp_mss_default: MSS,
      test_start: { protocol: 'TCP', num_streams: 1, blksize: 131072, omit: 0, duration: seconds, bytes: 0, blocks: 0, reverse: 0, tos: 0 },
    },
    intervals: intervals.map((i) => ({ streams: [stream(i)], sum: { ...stream(i), socket: undefined } })),
    end: error && !error.startsWith('interrupt')
      ? {}
      : {
          streams: [{ sender: stream(total), receiver: { ...stream(total), retransmits: undefined, sender: false } }],
          sum_sent: { ...stream(total), socket: undefined },
          sum_received: { ...stream(total), socket: undefined, retransmits: undefined, sender: false },
        },
    ...(error ? { error } : {}),
  };
}
