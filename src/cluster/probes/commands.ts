import type { Probe } from '../../model/probe.ts';
import { shellQuote } from '../console/quote.ts';

/** One try of a probe: `reached` undefined means the try proves nothing either way. */
export interface ProbeTry {
  reached: boolean | undefined;
  detail: string;
  /** The command line and what it printed, for the evidence. */
  evidence: string;
  /** Something answered, but not what the probe expects (another body): reached, yet no allow can rest on it. */
  unexpected?: boolean;
}

/** The details both interpreters give, so a verdict reads the same whichever tool made it. */
const DROPPED = 'no connection within the timeout (dropped)';
const NO_ROUTE = 'no route to the host (dropped)';
const REFUSED = 'connection refused: the host answered, nothing listens on the port';

const HTTP_CODE = /\nhttp_code=(\d{3})\n?$/;

/** The guest command for one try: curl for http and tcp, ping for icmp (Fedora's own tools). */
export function probeCommand(p: Probe, address: string, connectTimeoutSeconds: number, port = p.port): string[] {
  const url = `http://${address}:${port ?? 80}${p.protocol === 'http' ? p.path ?? '/' : '/'}`;
  if (p.protocol === 'icmp') return ['ping', '-c', '3', '-i', '0.2', '-W', String(connectTimeoutSeconds), address];
  return ['curl', '-sS', '--connect-timeout', String(connectTimeoutSeconds), '--max-time', String(connectTimeoutSeconds * 2), '-w', '\\nhttp_code=%{http_code}\\n', url];
}

/**
 * What a try's output says. A timeout is a drop (policy or isolation: OVN drops silently); a
 * refused connection reached the host, so it can never prove that a policy blocks; DNS errors,
 * empty output and unknown exit codes prove nothing and are tried again.
 */
export function interpretTry(p: Probe, argv: readonly string[], output: string, exitCode: number): ProbeTry {
  const evidence = `$ ${shellQuote(argv)}\n${output.trimEnd()}\n[exit ${exitCode}]`;
  if (p.protocol === 'icmp') {
    const m = /(\d+) packets transmitted, (\d+) received(?:, \+\d+ (?:errors|duplicates))*, ([\d.]+)% packet loss/.exec(output);
    if (!m) return { reached: undefined, detail: `no ping summary (exit ${exitCode})`, evidence };
    const received = Number(m[2]);
    return { reached: received > 0, detail: `${m[1]} sent, ${received} received, ${m[3]}% packet loss`, evidence };
  }
  if (exitCode === 28) return { reached: false, detail: DROPPED, evidence };
  // Older curl names the reason: an unreachable host or network is a drop, not an answer.
  if (exitCode === 7 && /No route to host|Network is unreachable/.test(output)) return { reached: false, detail: NO_ROUTE, evidence };
  if (exitCode === 7) return { reached: true, detail: REFUSED, evidence };
  const code = HTTP_CODE.exec(output);
  if (exitCode === 0 && code) {
    const body = output.slice(0, code.index).trim();
    const status = Number(code[1]);
    if (p.protocol === 'tcp') return { reached: true, detail: `connected (HTTP ${status})`, evidence };
    if (p.bodyContains !== undefined) {
      const holds = body.includes(p.bodyContains);
      const answer = `HTTP ${status}, ${body.length} bytes ${holds ? 'holding' : 'without'} ${JSON.stringify(p.bodyContains)}`;
      return { reached: status > 0, detail: answer, evidence, ...(status > 0 && !holds ? { unexpected: true } : {}) };
    }
    const answer = `HTTP ${status} ${JSON.stringify(body.slice(0, 80))}`;
    if (status > 0 && p.body !== undefined && body !== p.body) return { reached: true, detail: `${answer}, not the expected ${JSON.stringify(p.body)}`, evidence, unexpected: true };
    return { reached: status > 0, detail: answer, evidence };
  }
  // curl's "empty reply" and "recv failure" still mean a TCP connection was made.
  if (p.protocol === 'tcp' && (exitCode === 52 || exitCode === 56)) return { reached: true, detail: `connected (curl exit ${exitCode})`, evidence };
  const firstLine = output.trim().split('\n')[0] ?? '';
  return { reached: undefined, detail: `inconclusive: exit ${exitCode}${firstLine ? `, ${firstLine.slice(0, 120)}` : ', no output'}`, evidence };
}

/** From a pod: agnhost's `connect`, the probe of the Kubernetes network-policy e2e (TCP only). */
export function agnhostConnectCommand(address: string, port: number, connectTimeoutSeconds: number): string[] {
  return ['/agnhost', 'connect', `${address}:${port}`, `--timeout=${connectTimeoutSeconds}s`, '--protocol=tcp'];
}

/** agnhost connect answers on stderr with a fixed word: TIMEOUT, REFUSED, DNS, OTHER or UNKNOWN. */
export function interpretAgnhost(argv: readonly string[], stderr: string, exitCode: number): ProbeTry {
  const evidence = `$ ${shellQuote(argv)}\n${stderr.trimEnd()}\n[exit ${exitCode}]`.replace('\n\n', '\n');
  if (exitCode === 0) return { reached: true, detail: 'connected', evidence };
  const word = stderr.trim().split(/[\s:]/)[0];
  if (word === 'TIMEOUT') return { reached: false, detail: DROPPED, evidence };
  if (word === 'REFUSED') return { reached: true, detail: REFUSED, evidence };
  if (word === 'OTHER' && /no route to host|network is unreachable/i.test(stderr)) return { reached: false, detail: NO_ROUTE, evidence };
  return { reached: undefined, detail: `inconclusive: exit ${exitCode}, ${stderr.trim().slice(0, 120) || 'no output'}`, evidence };
}

/**
 * Whether a try satisfies an allow: a refused connection reached the host, which disproves a
 * deny but is no HTTP answer; an answer with another body came from something else.
 */
export function satisfiesAllow(p: Probe, t: ProbeTry): boolean {
  return t.reached === true && !t.unexpected && !(p.protocol === 'http' && t.detail === REFUSED);
}
