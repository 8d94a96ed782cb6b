import { setTimeout as sleep } from 'node:timers/promises';
import { resolveName, type OutsideHost } from '../dataplane/internet.ts';
import { reach } from '../dataplane/reachability.ts';
import type { Guest } from './guest.ts';
import type { Io } from './io.ts';

/** curl as Fedora's, for the options the project and the talk's demo script use: -s -S -o -w --connect-timeout -m. */
export async function curl(args: string[], g: Guest, io: Io): Promise<number> {
  let silent = false;
  let showError = false;
  let connectTimeout: number | undefined;
  let maxTime: number | undefined;
  let writeOut = '';
  let output: string | undefined;
  let url: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--connect-timeout') connectTimeout = Number(args[++i]);
    else if (a === '-m' || a === '--max-time') maxTime = Number(args[++i]);
    else if (a === '-w' || a === '--write-out') writeOut = args[++i] ?? '';
    else if (a === '-o' || a === '--output') output = args[++i];
    else if (a === '--silent') silent = true;
    else if (a === '--show-error') showError = true;
    else if (/^-[sSf]+$/.test(a)) {
      silent ||= a.includes('s');
      showError ||= a.includes('S');
    } else if (a.startsWith('-')) return fail(io, 2, `curl: option ${a}: is unknown`, true);
    else url = a;
  }
  const say = (code: number, message: string) => fail(io, code, `curl: (${code}) ${message}`, !silent || showError);
  if (!url) return fail(io, 2, 'curl: no URL specified!', true);
  const m = /^(?:http:\/\/)?([^/:]+)(?::(\d+))?(\/.*)?$/.exec(url);
  if (!m) return say(3, 'URL rejected: Bad hostname');
  const [, host, portText, path = '/'] = m;
  const port = Number(portText ?? 80);
  const self = g.ctx.self();
  const address = resolveName(host!);
  if (!address || !self) return say(6, `Could not resolve host: ${host}`);
  const started = Date.now();
  const outcome = reach(g.ctx.world(), self, address, 'TCP', port);
  if (outcome.kind === 'refused') return say(7, `Failed to connect to ${address} port ${port} after 0 ms: Couldn't connect to server`);
  if (outcome.kind === 'dropped') {
    const limit = Math.min(connectTimeout ?? 300, maxTime ?? 300);
    if (!(await pause(limit * g.ctx.second, io))) return 130;
    const ms = Math.max(Date.now() - started, Math.round(limit * 1000));
    return say(28, `${connectTimeout !== undefined && connectTimeout <= (maxTime ?? Infinity) ? 'Connection' : 'Operation'} timed out after ${ms} milliseconds`);
  }
  const served = outcome.port ?? port;
  const target = outcome.target;
  const guest = target?.kind === 'VirtualMachineInstance' ? g.ctx.peer(target.namespace, target.name) : undefined;
  // A VM answers HTTP only from an http.server; its other listeners (iperf3) hang up on it.
  if (guest && !guest.http.has(served)) return say(52, 'Empty reply from server');
  const { status, body } = outcome.outside
    ? { status: 200, body: outsidePage(outcome.outside, port) }
    : guest
      ? guest.http.get(served)!.get(path, outcome.source)
      : agnhostAnswer(target?.listening.find((l) => l.port === served)?.hostname, path);
  // -o sends the body to a file (or nowhere); -w still writes to stdout.
  if (output === undefined) io.out(body);
  else if (output !== '/dev/null') g.files.set(output, body);
  io.out(writeOut.replaceAll('%{http_code}', String(status)).replaceAll('\\n', '\n'));
  return 0;
}

/** iputils ping: -c -i -W -w -D -O -q, one packet judged per interval against the data plane. */
export async function ping(args: string[], g: Guest, io: Io): Promise<number> {
  let count = Infinity;
  let interval = 1;
  let wait = 10;
  let deadline = Infinity;
  let stamps = false;
  let reportLate = false;
  let quiet = false;
  let host: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-c') count = Number(args[++i]);
    else if (a === '-i') interval = Number(args[++i]);
    else if (a === '-W') wait = Number(args[++i]);
    else if (a === '-w') deadline = Number(args[++i]);
    else if (/^-[DOq]+$/.test(a)) {
      stamps ||= a.includes('D');
      reportLate ||= a.includes('O');
      quiet ||= a.includes('q');
    } else if (a.startsWith('-')) return fail(io, 2, `ping: invalid option -- '${a.replace(/^-+/, '')}'`, true);
    else host = a;
  }
  if (!host) return fail(io, 2, 'ping: usage error: Destination address required', true);
  if (!(interval >= 0.2) && g.user !== 'root') return fail(io, 2, 'ping: cannot flood, minimal interval for user must be >= 0.2 s, use -i 0.2 (or higher)', true);
  const self = g.ctx.self();
  const address = resolveName(host);
  if (!address || !self) return fail(io, 2, `ping: ${host}: Name or service not known`, true);
  io.out(`PING ${host} (${address}) 56(84) bytes of data.\n`);
  const started = Date.now();
  const rtts: number[] = [];
  let sent = 0;
  while (sent < count && (Date.now() - started) / 1000 < deadline) {
    sent++;
    const outcome = reach(g.ctx.world(), self, address, 'ICMP');
    const stamp = stamps ? `[${(Date.now() / 1000).toFixed(6)}] ` : '';
    if (outcome.kind === 'reached') {
      // The reply says where it came from the way a real one does: its TTL, and the time it took.
      const rtt = outcome.outside ? 6 + Math.random() * 2 : 0.3 + Math.random() * 0.6;
      rtts.push(rtt);
      if (!quiet) io.out(`${stamp}64 bytes from ${address}: icmp_seq=${sent} ttl=${outcome.ttl} time=${rtt.toFixed(rtt < 1 ? 3 : 2)} ms\n`);
    } else if (reportLate && !quiet && interval < wait) {
      io.out(`${stamp}no answer yet for icmp_seq=${sent}\n`);
    }
    if (sent < count && !(await pause(interval * g.ctx.second, io))) break;
  }
  const elapsed = Math.round(g.ctx.second === 0 ? (sent - 1) * interval * 1000 : Date.now() - started);
  const loss = Math.round(((sent - rtts.length) / Math.max(sent, 1)) * 100);
  io.out(`\n--- ${host} ping statistics ---\n${sent} packets transmitted, ${rtts.length} received, ${loss}% packet loss, time ${elapsed}ms\n`);
  if (rtts.length > 0) {
    const avg = rtts.reduce((a, b) => a + b, 0) / rtts.length;
    const mdev = Math.sqrt(rtts.reduce((a, b) => a + (b - avg) ** 2, 0) / rtts.length);
    io.out(`rtt min/avg/max/mdev = ${[Math.min(...rtts), avg, Math.max(...rtts), mdev].map((x) => x.toFixed(3)).join('/')} ms\n`);
  }
  if (io.signal.aborted) return 130;
  return rtts.length > 0 ? 0 : 1;
}

/** What a host outside the cluster serves on any path: its own page, which names it. */
function outsidePage(host: OutsideHost, port: number): string {
  return host.listening.find((l) => l.port === port)?.body ?? `<!doctype html><html><head><title>${host.name}</title></head></html>\n`;
}

/** agnhost netexec: /hostname is its hostname, / the time, anything else a 404. */
function agnhostAnswer(hostname: string | undefined, path: string): { status: number; body: string } {
  if (path === '/hostname' && hostname) return { status: 200, body: hostname };
  return path === '/' ? { status: 200, body: `NOW: ${new Date().toISOString()}` } : { status: 404, body: '404 page not found\n' };
}

function fail(io: Io, code: number, message: string, show: boolean): number {
  if (show) io.err(`${message}\n`);
  return code;
}

/** Waits guest time; false when the foreground command was interrupted (^C, or the console went away). */
export async function pause(ms: number, io: Io): Promise<boolean> {
  if (io.signal.aborted) return false;
  try {
    // Even instant guest time yields to the event loop, so an endless `ping` stays interruptible.
    await sleep(Math.max(ms, 1), undefined, { signal: io.signal });
    return true;
  } catch {
    return false;
  }
}
