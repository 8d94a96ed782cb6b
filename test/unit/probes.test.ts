import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'shell-quote';
import { interpretTry, probeCommand, satisfiesAllow, type ProbeTry } from '../../src/cluster/probes/commands.ts';
import { settle, type Clock, type SettleTiming } from '../../src/cluster/probes/settle.ts';
import type { Probe } from '../../src/model/probe.ts';

// ---------------------------------------------------------------------------------------------
// Probes of the seed: green vm-a asks the green webserver, a green VM, and the internet.
// ---------------------------------------------------------------------------------------------

const vmA = { namespace: 'green', kind: 'VirtualMachineInstance', name: 'vm-a' } as const;
const webserver = { namespace: 'green', kind: 'Pod', name: 'webserver' } as const;
const vmB = { namespace: 'green', kind: 'VirtualMachineInstance', name: 'vm-b' } as const;

const httpAllow: Probe = { from: vmA, to: { workload: webserver }, protocol: 'http', port: 9000, path: '/hostname', expect: 'allow' };
/** Reached, yet no HTTP answer: what an allow without an expected body refuses. */
const isRefused = (t: ProbeTry) => t.reached === true && !satisfiesAllow(httpAllow, t);
const httpDeny: Probe = { ...httpAllow, expect: 'deny' };
const tcpAllow: Probe = { from: vmA, to: { workload: vmB }, protocol: 'tcp', port: 5201, expect: 'allow' };
const icmpAllow: Probe = { from: vmA, to: { workload: vmB }, protocol: 'icmp', expect: 'allow' };
const icmpDeny: Probe = { ...icmpAllow, expect: 'deny' };

const WEB = '203.203.0.3';
const VMB = '203.203.0.5';
const TIMEOUT = 2;

const curlArgv = (p: Probe, address: string) => probeCommand(p, address, TIMEOUT);

describe('probe commands: probeCommand', () => {
  it('http: curl with --connect-timeout, a larger --max-time and the URL http://ADDR:PORT/hostname last', () => {
    const argv = probeCommand(httpAllow, WEB, TIMEOUT);
    assert.equal(argv[0], 'curl');
    const ct = argv.indexOf('--connect-timeout');
    assert.ok(ct > 0, 'has --connect-timeout');
    assert.equal(argv[ct + 1], '2');
    const mt = argv.indexOf('--max-time');
    assert.ok(mt > 0, 'has --max-time');
    assert.ok(Number(argv[mt + 1]) > TIMEOUT, '--max-time leaves room for the answer after connecting');
    assert.equal(argv.at(-1), 'http://203.203.0.3:9000/hostname');
  });

  it('http: the connect timeout follows the argument', () => {
    const argv = probeCommand(httpAllow, WEB, 5);
    assert.equal(argv[argv.indexOf('--connect-timeout') + 1], '5');
  });

  it("http: curl's -w write-out, as curl renders it, is what interpretTry parses", () => {
    const argv = probeCommand(httpAllow, WEB, TIMEOUT);
    const w = argv[argv.indexOf('-w') + 1];
    assert.ok(w !== undefined, 'has -w');
    // curl expands \n and %{http_code} in the write-out format itself.
    const rendered = 'webserver' + w.replaceAll('\\n', '\n').replaceAll('%{http_code}', '200');
    const t = interpretTry(httpAllow, argv, rendered, 0);
    assert.equal(t.reached, true);
    assert.equal(t.detail, 'HTTP 200 "webserver"');
  });

  const urlCases: Array<[name: string, probe: Probe, url: string]> = [
    ['http with port and path', httpAllow, 'http://203.203.0.3:9000/hostname'],
    ['http without a path asks for /', { ...httpAllow, path: undefined }, 'http://203.203.0.3:9000/'],
    ['http without a port uses 80', { ...httpAllow, port: undefined }, 'http://203.203.0.3:80/hostname'],
    ['tcp ignores a path', { ...tcpAllow, path: '/hostname' }, 'http://203.203.0.3:5201/'],
    ['tcp to the iperf3 port', tcpAllow, 'http://203.203.0.3:5201/'],
  ];
  for (const [name, probe, url] of urlCases) {
    it(`${name}: ${url}`, () => {
      const argv = probeCommand(probe, WEB, TIMEOUT);
      assert.equal(argv[0], 'curl');
      assert.equal(argv.at(-1), url);
    });
  }

  it('icmp: ping argv with a count, the timeout, and the address last', () => {
    const argv = probeCommand(icmpAllow, VMB, TIMEOUT);
    assert.equal(argv[0], 'ping');
    assert.equal(argv.at(-1), '203.203.0.5');
    assert.equal(argv[argv.indexOf('-c') + 1], '3');
    assert.equal(argv[argv.indexOf('-W') + 1], '2');
    assert.ok(!argv.some((a) => a.startsWith('http://')), 'no URL for ping');
  });
});

// ---------------------------------------------------------------------------------------------
// interpretTry: realistic outputs of curl and iputils ping.
// ---------------------------------------------------------------------------------------------

const PING_OK = `PING 203.203.0.5 (203.203.0.5) 56(84) bytes of data.
64 bytes from 203.203.0.5: icmp_seq=1 ttl=64 time=0.712 ms
64 bytes from 203.203.0.5: icmp_seq=2 ttl=64 time=0.411 ms
64 bytes from 203.203.0.5: icmp_seq=3 ttl=64 time=0.311 ms

--- 203.203.0.5 ping statistics ---
3 packets transmitted, 3 received, 0% packet loss, time 402ms
rtt min/avg/max/mdev = 0.311/0.478/0.712/0.170 ms
`;
const PING_LOSS = `PING 203.203.0.5 (203.203.0.5) 56(84) bytes of data.

--- 203.203.0.5 ping statistics ---
3 packets transmitted, 0 received, 100% packet loss, time 2040ms
`;
const PING_ERRORS = `PING 192.168.0.3 (192.168.0.3) 56(84) bytes of data.
From 203.203.0.4 icmp_seq=1 Destination Host Unreachable
From 203.203.0.4 icmp_seq=2 Destination Host Unreachable
From 203.203.0.4 icmp_seq=3 Destination Host Unreachable

--- 192.168.0.3 ping statistics ---
3 packets transmitted, 0 received, +3 errors, 100% packet loss, time 2040ms
`;
const PING_PARTIAL = `PING 203.203.0.5 (203.203.0.5) 56(84) bytes of data.
64 bytes from 203.203.0.5: icmp_seq=3 ttl=64 time=0.502 ms

--- 203.203.0.5 ping statistics ---
3 packets transmitted, 1 received, 66.6667% packet loss, time 404ms
rtt min/avg/max/mdev = 0.502/0.502/0.502/0.000 ms
`;

interface InterpretCase {
  name: string;
  probe: Probe;
  address: string;
  output: string;
  exit: number;
  reached: boolean | undefined;
  /** The exact detail, or a pattern it must match. */
  detail: string | RegExp;
  refused?: boolean;
}

const interpretCases: InterpretCase[] = [
  // curl, http.
  { name: 'curl success: the body and HTTP 200', probe: httpAllow, address: WEB, output: 'webserver\nhttp_code=200\n', exit: 0, reached: true, detail: 'HTTP 200 "webserver"' },
  { name: 'curl success: body with a trailing newline', probe: httpAllow, address: WEB, output: 'new-webserver\n\nhttp_code=200\n', exit: 0, reached: true, detail: 'HTTP 200 "new-webserver"' },
  { name: 'curl success: a multi-line body is kept, JSON-quoted', probe: httpAllow, address: WEB, output: 'line one\nline two\nhttp_code=200\n', exit: 0, reached: true, detail: 'HTTP 200 "line one\\nline two"' },
  { name: 'curl success: a long body is cut at 80 characters', probe: httpAllow, address: WEB, output: `${'x'.repeat(200)}\nhttp_code=200\n`, exit: 0, reached: true, detail: `HTTP 200 "${'x'.repeat(80)}"` },
  { name: 'curl success: an HTTP error status is still an answer', probe: httpAllow, address: WEB, output: '404 page not found\nhttp_code=404\n', exit: 0, reached: true, detail: 'HTTP 404 "404 page not found"' },
  { name: 'curl success: an empty body', probe: httpAllow, address: WEB, output: '\nhttp_code=204\n', exit: 0, reached: true, detail: 'HTTP 204 ""' },
  { name: 'curl (28) connect timeout: dropped', probe: httpAllow, address: WEB, output: 'curl: (28) Connection timed out after 2001 milliseconds', exit: 28, reached: false, detail: /^no connection within the timeout \(dropped\)$/ },
  { name: 'curl (28) with the write-out http_code=000', probe: httpAllow, address: WEB, output: '\nhttp_code=000\ncurl: (28) Connection timed out after 2001 milliseconds\n', exit: 28, reached: false, detail: /dropped/ },
  { name: 'curl (7) connection refused: the host answered', probe: httpAllow, address: WEB, output: "curl: (7) Failed to connect to 203.203.0.3 port 9002 after 0 ms: Couldn't connect to server", exit: 7, reached: true, detail: /^connection refused/, refused: true },
  { name: 'curl (7) refused, tcp probe', probe: tcpAllow, address: WEB, output: "curl: (7) Failed to connect to 203.203.0.3 port 5202 after 1 ms: Couldn't connect to server\n\nhttp_code=000\n", exit: 7, reached: true, detail: /^connection refused/, refused: true },
  { name: 'curl (6) could not resolve: inconclusive', probe: httpAllow, address: 'www.example.invalid', output: 'curl: (6) Could not resolve host: www.example.invalid', exit: 6, reached: undefined, detail: 'inconclusive: exit 6, curl: (6) Could not resolve host: www.example.invalid' },
  { name: 'empty output, exit 0: inconclusive', probe: httpAllow, address: WEB, output: '', exit: 0, reached: undefined, detail: 'inconclusive: exit 0, no output' },
  { name: 'whitespace-only output, exit 0: inconclusive', probe: httpAllow, address: WEB, output: '\n\n', exit: 0, reached: undefined, detail: 'inconclusive: exit 0, no output' },
  { name: 'a body without the write-out, exit 0: inconclusive', probe: httpAllow, address: WEB, output: 'webserver', exit: 0, reached: undefined, detail: /^inconclusive: exit 0, webserver$/ },
  { name: 'http_code in the body but exit 1: inconclusive', probe: httpAllow, address: WEB, output: 'curl: (1) Protocol "htp" not supported\n\nhttp_code=000\n', exit: 1, reached: undefined, detail: /^inconclusive: exit 1, curl: \(1\)/ },
  { name: 'a dropped console (exit 137, no output): inconclusive', probe: httpAllow, address: WEB, output: '', exit: 137, reached: undefined, detail: 'inconclusive: exit 137, no output' },
  { name: 'curl (52) empty reply, http: inconclusive', probe: httpAllow, address: WEB, output: 'curl: (52) Empty reply from server\n\nhttp_code=000\n', exit: 52, reached: undefined, detail: /^inconclusive: exit 52/ },
  // curl, tcp: any connection counts.
  { name: 'tcp: an HTTP answer means connected', probe: tcpAllow, address: WEB, output: 'hello\nhttp_code=200\n', exit: 0, reached: true, detail: 'connected (HTTP 200)' },
  { name: 'tcp: curl (52) empty reply means connected', probe: tcpAllow, address: WEB, output: 'curl: (52) Empty reply from server\n\nhttp_code=000\n', exit: 52, reached: true, detail: 'connected (curl exit 52)' },
  { name: 'tcp: curl (56) recv failure means connected', probe: tcpAllow, address: WEB, output: 'curl: (56) Recv failure: Connection reset by peer\n\nhttp_code=000\n', exit: 56, reached: true, detail: 'connected (curl exit 56)' },
  { name: 'tcp: curl (28) timeout is dropped', probe: tcpAllow, address: WEB, output: 'curl: (28) Connection timed out after 2002 milliseconds', exit: 28, reached: false, detail: /dropped/ },
  // iputils ping.
  { name: 'ping: 3 of 3 received', probe: icmpAllow, address: VMB, output: PING_OK, exit: 0, reached: true, detail: '3 sent, 3 received, 0% packet loss' },
  { name: 'ping: summary line alone', probe: icmpAllow, address: VMB, output: '3 packets transmitted, 3 received, 0% packet loss, time 402ms', exit: 0, reached: true, detail: '3 sent, 3 received, 0% packet loss' },
  { name: 'ping: 100% packet loss', probe: icmpAllow, address: VMB, output: PING_LOSS, exit: 1, reached: false, detail: '3 sent, 0 received, 100% packet loss' },
  { name: 'ping: summary line alone, 100% loss', probe: icmpDeny, address: VMB, output: '3 packets transmitted, 0 received, 100% packet loss, time 2040ms', exit: 1, reached: false, detail: '3 sent, 0 received, 100% packet loss' },
  { name: 'ping: +3 errors variant', probe: icmpAllow, address: '192.168.0.3', output: PING_ERRORS, exit: 1, reached: false, detail: '3 sent, 0 received, 100% packet loss' },
  { name: 'ping: partial loss still reached', probe: icmpAllow, address: VMB, output: PING_PARTIAL, exit: 0, reached: true, detail: '3 sent, 1 received, 66.6667% packet loss' },
  { name: 'ping: garbage output is inconclusive', probe: icmpAllow, address: VMB, output: 'ping: connect: Network is unreachable', exit: 2, reached: undefined, detail: 'no ping summary (exit 2)' },
  { name: 'ping: unknown host is inconclusive', probe: icmpAllow, address: 'foo.invalid', output: 'ping: foo.invalid: Name or service not known', exit: 2, reached: undefined, detail: 'no ping summary (exit 2)' },
  { name: 'ping: empty output is inconclusive', probe: icmpAllow, address: VMB, output: '', exit: 0, reached: undefined, detail: 'no ping summary (exit 0)' },
  { name: 'ping: curl-looking output is not a ping summary', probe: icmpAllow, address: VMB, output: 'webserver\nhttp_code=200\n', exit: 0, reached: undefined, detail: /^no ping summary/ },
];

describe('probe output: interpretTry', () => {
  for (const c of interpretCases) {
    it(`${c.name} → ${c.reached === undefined ? 'inconclusive' : c.reached ? 'reached' : 'not reached'}`, () => {
      const argv = curlArgv(c.probe, c.address);
      const t = interpretTry(c.probe, argv, c.output, c.exit);
      assert.equal(t.reached, c.reached, `detail: ${t.detail}`);
      if (typeof c.detail === 'string') assert.equal(t.detail, c.detail);
      else assert.match(t.detail, c.detail);
      assert.equal(isRefused(t), c.refused ?? false);

      // Evidence: the command line, what it printed, and the exit code.
      const tool = c.probe.protocol === 'icmp' ? 'ping' : 'curl';
      assert.ok(t.evidence.startsWith(`$ ${tool} `), t.evidence);
      const commandLine = t.evidence.split('\n')[0]!;
      assert.ok(commandLine.includes(c.address), `command line names ${c.address}: ${commandLine}`);
      if (tool === 'curl') assert.ok(commandLine.includes(`--connect-timeout ${TIMEOUT}`), commandLine);
      assert.ok(t.evidence.endsWith(`\n[exit ${c.exit}]`), t.evidence);
      if (c.output.trim()) assert.ok(t.evidence.includes(c.output.trimEnd()), 'evidence includes the output');
    });
  }

  it('the evidence line is a shell-quoted command a person can paste', () => {
    const argv = curlArgv(httpAllow, WEB);
    const t = interpretTry(httpAllow, argv, 'webserver\nhttp_code=200\n', 0);
    const line = t.evidence.split('\n')[0]!;
    assert.ok(line.startsWith('$ '));
    // A shell splits it back into exactly the argv that ran.
    assert.deepEqual(parse(line.slice(2)), argv);
    assert.equal(t.evidence.split('\n').slice(1).join('\n'), 'webserver\nhttp_code=200\n[exit 0]');
  });

  it('an answer with another body than the expected one is reached, but satisfies no allow; the detail quotes it', () => {
    const expecting: Probe = { ...httpAllow, body: 'webserver' };
    const other = interpretTry(expecting, httpArgv, 'someone-else\nhttp_code=200\n', 0);
    assert.equal(other.reached, true);
    assert.equal(other.unexpected, true);
    assert.equal(other.detail, 'HTTP 200 "someone-else", not the expected "webserver"');
    assert.equal(satisfiesAllow(expecting, other), false);
    const right = interpretTry(expecting, httpArgv, 'webserver\nhttp_code=200\n', 0);
    assert.equal(satisfiesAllow(expecting, right), true);
  });

  it('settle fails an allow whose every answer has another body, with that answer as evidence', async () => {
    const clock = new FakeClock();
    const expecting: Probe = { ...httpAllow, body: 'webserver' };
    const wrong = interpretTry(expecting, httpArgv, 'new-webserver\nhttp_code=200\n', 0);
    const o = await settle(expecting, async () => wrong, TIMING, clock);
    assert.equal(o.verdict, 'fail');
    assert.match(o.evidence, /new-webserver/);
  });

  it('isRefused looks at the detail, not the exit code', () => {
    assert.equal(isRefused({ reached: true, detail: 'connection refused: the host answered, nothing listens on the port', evidence: '' }), true);
    assert.equal(isRefused({ reached: true, detail: 'HTTP 200 "connection refused"', evidence: '' }), false);
    assert.equal(isRefused({ reached: false, detail: 'no connection within the timeout (dropped)', evidence: 'curl: (7)' }), false);
  });
});

// ---------------------------------------------------------------------------------------------
// settle: a virtual clock and scripted tries.
// ---------------------------------------------------------------------------------------------

const START = Date.UTC(2025, 1, 1, 10, 0, 0);

class FakeClock implements Clock {
  t = START;
  readonly sleeps: number[] = [];
  now(): number {
    return this.t;
  }
  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.t += ms;
  }
}

// Realistic tries, built the way the activity builds them.
const httpArgv = curlArgv(httpAllow, WEB);
const icmpArgv = curlArgv(icmpAllow, VMB);
const HTTP_OK = interpretTry(httpAllow, httpArgv, 'webserver\nhttp_code=200\n', 0);
const HTTP_TIMEOUT = interpretTry(httpAllow, httpArgv, 'curl: (28) Connection timed out after 2001 milliseconds', 28);
const HTTP_REFUSED = interpretTry(httpAllow, httpArgv, "curl: (7) Failed to connect to 203.203.0.3 port 9000 after 0 ms: Couldn't connect to server", 7);
const HTTP_DNS = interpretTry(httpAllow, httpArgv, 'curl: (6) Could not resolve host: webserver', 6);
const HTTP_EMPTY = interpretTry(httpAllow, httpArgv, '', 0);
const PING_REACHED = interpretTry(icmpAllow, icmpArgv, PING_OK, 0);
const PING_BLOCKED = interpretTry(icmpAllow, icmpArgv, PING_LOSS, 1);
const PING_GARBAGE = interpretTry(icmpAllow, icmpArgv, 'ping: sendmsg: Operation not permitted', 2);

type Step = ProbeTry | { throws: string };

/** Plays the script one step per try (the last step repeats), recording when each try started. */
function scripted(clock: FakeClock, steps: readonly Step[], tryMs = 0) {
  const startedAt: number[] = [];
  const attempt = async (): Promise<ProbeTry> => {
    const step = steps[Math.min(startedAt.length, steps.length - 1)]!;
    startedAt.push(clock.t - START);
    clock.t += tryMs;
    if ('throws' in step) throw new Error(step.throws);
    return step;
  };
  return { attempt, startedAt };
}

const TIMING: SettleTiming = { eventuallyMs: 3000, consistentlyMs: 2000, intervalMs: 500 };

const times = <T>(n: number, x: T): T[] => Array.from({ length: n }, () => x);

interface SettleCase {
  name: string;
  probe: Probe;
  steps: Step[];
  verdict: 'pass' | 'fail' | 'inconclusive';
  attempts: number;
  reached: boolean;
  /** The deciding try. */
  decidedBy: ProbeTry | { detail: RegExp };
  settledAfterMs?: number;
  durationMs: number;
  /** Substrings the evidence must contain, in order. */
  evidence: string[];
  tryMs?: number;
  timing?: SettleTiming;
}

const settleCases: SettleCase[] = [
  {
    name: 'allow: reached on the first try passes at once',
    probe: httpAllow, steps: [HTTP_OK], verdict: 'pass', attempts: 1, reached: true, decidedBy: HTTP_OK, durationMs: 0,
    evidence: ['$ curl', 'webserver', '[exit 0]'],
  },
  {
    name: 'allow: reached on the first try, the try itself taking time',
    probe: httpAllow, steps: [HTTP_OK], tryMs: 120, verdict: 'pass', attempts: 1, reached: true, decidedBy: HTTP_OK, durationMs: 120,
    evidence: ['$ curl', '[exit 0]'],
  },
  {
    name: 'allow: never reached fails once eventuallyMs has passed',
    probe: httpAllow, steps: [HTTP_TIMEOUT], verdict: 'fail', attempts: 7, reached: false, decidedBy: HTTP_TIMEOUT, durationMs: 3000,
    evidence: ['$ curl', '[exit 28]', 'try 1: not reached (no connection within the timeout (dropped))', 'try 7: not reached'],
  },
  {
    name: 'allow: never reached, last tries inconclusive → fails with the last conclusive try',
    probe: httpAllow, steps: [HTTP_TIMEOUT, HTTP_TIMEOUT, HTTP_DNS], verdict: 'fail', attempts: 7, reached: false, decidedBy: HTTP_TIMEOUT, durationMs: 3000,
    evidence: ['curl: (28) Connection timed out', '[exit 28]', 'try 2: not reached', 'try 3: inconclusive (inconclusive: exit 6', 'try 7: inconclusive'],
  },
  {
    name: 'allow: icmp never reached, with tries that take their timeout',
    probe: icmpAllow, steps: [PING_BLOCKED], tryMs: 2000, verdict: 'fail', attempts: 2, reached: false, decidedBy: PING_BLOCKED, durationMs: 4500,
    evidence: ['$ ping', '100% packet loss', '[exit 1]', 'try 1: not reached', 'try 2: not reached'],
  },
  {
    name: 'allow: inconclusive tries, then reached → pass, inconclusive tries counted',
    probe: httpAllow, steps: [HTTP_EMPTY, HTTP_DNS, HTTP_OK], verdict: 'pass', attempts: 3, reached: true, decidedBy: HTTP_OK, durationMs: 1000,
    evidence: ['$ curl', 'webserver', '[exit 0]', 'try 1: inconclusive (inconclusive: exit 0, no output)', 'try 2: inconclusive', 'try 3: reached (HTTP 200 "webserver")'],
  },
  {
    name: 'allow: the attempt throws (console dropped), then reached → pass',
    probe: httpAllow, steps: [{ throws: 'console websocket closed' }, { throws: 'exec timed out' }, HTTP_OK], verdict: 'pass', attempts: 3, reached: true, decidedBy: HTTP_OK, durationMs: 1000,
    evidence: ['webserver', 'try 1: inconclusive (inconclusive: console websocket closed)', 'try 2: inconclusive (inconclusive: exec timed out)', 'try 3: reached'],
  },
  {
    name: 'allow: dropped first (routes still programming), then reached → pass',
    probe: icmpAllow, steps: [PING_BLOCKED, PING_BLOCKED, PING_REACHED], verdict: 'pass', attempts: 3, reached: true, decidedBy: PING_REACHED, durationMs: 1000,
    evidence: ['3 packets transmitted, 3 received', 'try 1: not reached', 'try 3: reached'],
  },
  {
    name: 'allow (http): a refused connection is no answer; keeps trying and fails at the window end',
    probe: httpAllow, steps: [HTTP_REFUSED], verdict: 'fail', attempts: 7, decidedBy: HTTP_REFUSED, reached: true, durationMs: 3000,
    evidence: ['curl: (7)', '[exit 7]', 'try 1: reached (connection refused', 'try 7: reached (connection refused'],
  },
  {
    name: 'allow (http): refused, then the server comes up → pass',
    probe: httpAllow, steps: [HTTP_REFUSED, HTTP_REFUSED, HTTP_OK], verdict: 'pass', attempts: 3, reached: true, decidedBy: HTTP_OK, durationMs: 1000,
    evidence: ['webserver', 'try 1: reached (connection refused', 'try 3: reached (HTTP 200'],
  },
  {
    name: 'allow (tcp): a refused connection reached the host → pass',
    probe: tcpAllow, steps: [HTTP_REFUSED], verdict: 'pass', attempts: 1, reached: true, decidedBy: HTTP_REFUSED, durationMs: 0,
    evidence: ['curl: (7)'],
  },
  {
    name: 'deny: reached twice (policy still programming), then blocked for consistentlyMs → pass',
    probe: httpDeny, steps: [HTTP_OK, HTTP_OK, HTTP_TIMEOUT], verdict: 'pass', attempts: 7, reached: false, decidedBy: HTTP_TIMEOUT, settledAfterMs: 1000, durationMs: 3000,
    evidence: ['curl: (28)', 'try 1: reached', 'try 2: reached', 'try 3: not reached', 'try 7: not reached'],
  },
  {
    name: 'deny: blocked from the start → pass after consistentlyMs, settled at 0',
    probe: icmpDeny, steps: [PING_BLOCKED], verdict: 'pass', attempts: 5, reached: false, decidedBy: PING_BLOCKED, settledAfterMs: 0, durationMs: 2000,
    evidence: ['100% packet loss', 'try 1: not reached', 'try 5: not reached'],
  },
  {
    name: 'deny: inconclusive tries inside the consistently window do not reset it',
    probe: icmpDeny, steps: [PING_BLOCKED, PING_GARBAGE, PING_GARBAGE, PING_BLOCKED], verdict: 'pass', attempts: 5, reached: false, decidedBy: PING_BLOCKED, settledAfterMs: 0, durationMs: 2000,
    evidence: ['try 1: not reached', 'try 2: inconclusive (no ping summary (exit 2))', 'try 4: not reached', 'try 5: not reached'],
  },
  {
    name: 'deny: inconclusive before the first block; settled when the block was first seen',
    probe: httpDeny, steps: [HTTP_EMPTY, { throws: 'boom' }, HTTP_TIMEOUT], verdict: 'pass', attempts: 7, reached: false, decidedBy: HTTP_TIMEOUT, settledAfterMs: 1000, durationMs: 3000,
    evidence: ['try 1: inconclusive', 'try 2: inconclusive (inconclusive: boom)', 'try 3: not reached'],
  },
  {
    name: 'deny: blocked only at the end of eventuallyMs still gets its consistently window',
    probe: httpDeny, steps: [...times(6, HTTP_OK), HTTP_TIMEOUT], verdict: 'pass', attempts: 11, reached: false, decidedBy: HTTP_TIMEOUT, settledAfterMs: 3000, durationMs: 5000,
    evidence: ['try 6: reached', 'try 7: not reached', 'try 11: not reached'],
  },
  {
    name: 'deny: blocked, then reached again inside the consistently window → fail at once',
    probe: httpDeny, steps: [HTTP_TIMEOUT, HTTP_TIMEOUT, HTTP_OK, HTTP_TIMEOUT], verdict: 'fail', attempts: 3, reached: true, decidedBy: HTTP_OK, settledAfterMs: 0, durationMs: 1000,
    evidence: ['webserver', '[exit 0]', 'try 1: not reached', 'try 2: not reached', 'try 3: reached (HTTP 200 "webserver")'],
  },
  {
    name: 'deny: blocked, then a refused connection (the host answered) → fail',
    probe: httpDeny, steps: [HTTP_OK, HTTP_TIMEOUT, HTTP_REFUSED, HTTP_TIMEOUT], verdict: 'fail', attempts: 3, reached: true, decidedBy: HTTP_REFUSED, settledAfterMs: 500, durationMs: 1000,
    evidence: ['curl: (7)', 'try 2: not reached', 'try 3: reached (connection refused'],
  },
  {
    name: 'deny: a leak just before the consistently window closes is still a fail',
    probe: icmpDeny, steps: [...times(4, PING_BLOCKED), PING_REACHED, PING_BLOCKED], verdict: 'fail', attempts: 5, reached: true, decidedBy: PING_REACHED, settledAfterMs: 0, durationMs: 2000,
    evidence: ['3 received', 'try 4: not reached', 'try 5: reached'],
  },
  {
    name: 'deny: never blocked → fail after eventuallyMs',
    probe: httpDeny, steps: [HTTP_OK], verdict: 'fail', attempts: 7, reached: true, decidedBy: HTTP_OK, durationMs: 3000,
    evidence: ['webserver', 'try 1: reached', 'try 7: reached'],
  },
  {
    name: 'deny (http): refused every time is never blocked → fail',
    probe: httpDeny, steps: [HTTP_REFUSED], verdict: 'fail', attempts: 7, reached: true, decidedBy: HTTP_REFUSED, durationMs: 3000,
    evidence: ['curl: (7)', 'try 7: reached (connection refused'],
  },
  {
    name: 'allow: every try inconclusive → inconclusive',
    probe: httpAllow, steps: [HTTP_DNS], verdict: 'inconclusive', attempts: 7, reached: false, decidedBy: HTTP_DNS, durationMs: 3000,
    evidence: ['curl: (6)', '[exit 6]', 'try 1: inconclusive', 'try 7: inconclusive'],
  },
  {
    name: 'deny: every try inconclusive (mixed kinds) → inconclusive',
    probe: icmpDeny, steps: [PING_GARBAGE, { throws: 'console websocket closed' }, PING_GARBAGE, { throws: 'console websocket closed' }], verdict: 'inconclusive', attempts: 7, reached: false,
    decidedBy: { detail: /^inconclusive: console websocket closed$/ }, durationMs: 3000,
    evidence: ['try 1: inconclusive (no ping summary', 'try 2: inconclusive (inconclusive: console websocket closed)', 'try 7: inconclusive'],
  },
];

describe('settling a probe: settle', () => {
  for (const c of settleCases) {
    it(`${c.name} → ${c.verdict}`, async () => {
      const clock = new FakeClock();
      const timing = c.timing ?? TIMING;
      const { attempt, startedAt } = scripted(clock, c.steps, c.tryMs ?? 0);
      const obs = await settle(c.probe, attempt, timing, clock);

      assert.equal(obs.verdict, c.verdict, `detail: ${obs.detail}\n${obs.evidence}`);
      assert.equal(obs.attempts, c.attempts);
      assert.equal(startedAt.length, c.attempts, 'attempts counts every call of the attempt function');
      assert.equal(obs.settledAfterMs, c.settledAfterMs);
      if (c.settledAfterMs === undefined) assert.ok(!('settledAfterMs' in obs), 'no settledAfterMs key unless a block was seen');
      assert.equal(obs.reached, c.reached);
      assert.equal(obs.durationMs, c.durationMs);
      assert.equal(clock.t - START, c.durationMs, 'the clock stops where the observation says');
      assert.equal(obs.probe, c.probe);
      assert.equal(obs.startedAt, new Date(START).toISOString());

      if ('evidence' in c.decidedBy) {
        assert.equal(obs.detail, c.decidedBy.detail);
        assert.ok(obs.evidence.startsWith(c.decidedBy.evidence.trim()), `evidence starts with the deciding try:\n${obs.evidence}`);
      } else {
        assert.match(obs.detail, c.decidedBy.detail);
      }

      // Tries are spaced by the interval, never by real time.
      assert.ok(clock.sleeps.every((ms) => ms === timing.intervalMs));
      assert.equal(clock.sleeps.length, c.attempts - 1);
      startedAt.forEach((at, i) => assert.equal(at, i * (timing.intervalMs + (c.tryMs ?? 0)), `try ${i + 1} started at`));

      // The evidence lists the tries (when there was more than one).
      let from = 0;
      for (const piece of c.evidence) {
        const at = obs.evidence.indexOf(piece, from);
        assert.ok(at >= 0, `evidence has ${JSON.stringify(piece)} after offset ${from}:\n${obs.evidence}`);
        from = at + piece.length;
      }
      const listed = obs.evidence.split('\n').filter((l) => /^try \d+: /.test(l));
      assert.equal(listed.length, c.attempts > 1 ? c.attempts : 0, 'one summary line per try');
      listed.forEach((l, i) => assert.ok(l.startsWith(`try ${i + 1}: `), l));
    });
  }

  it('settledAfterMs for a deny is when the first block was seen, even with a different interval', async () => {
    const clock = new FakeClock();
    const { attempt } = scripted(clock, [PING_REACHED, PING_REACHED, PING_REACHED, PING_BLOCKED]);
    const obs = await settle(icmpDeny, attempt, { eventuallyMs: 10_000, consistentlyMs: 1000, intervalMs: 250 }, clock);
    assert.equal(obs.verdict, 'pass');
    assert.equal(obs.settledAfterMs, 750);
    assert.equal(obs.attempts, 8);
    assert.equal(obs.durationMs, 1750);
  });

  it('a deny with consistentlyMs 0 passes on the first block', async () => {
    const clock = new FakeClock();
    const { attempt } = scripted(clock, [HTTP_OK, HTTP_TIMEOUT]);
    const obs = await settle(httpDeny, attempt, { eventuallyMs: 3000, consistentlyMs: 0, intervalMs: 500 }, clock);
    assert.deepEqual([obs.verdict, obs.attempts, obs.settledAfterMs, obs.durationMs], ['pass', 2, 500, 500]);
  });

  it('an allow with eventuallyMs 0 gets exactly one try', async () => {
    const clock = new FakeClock();
    const { attempt } = scripted(clock, [HTTP_TIMEOUT, HTTP_OK]);
    const obs = await settle(httpAllow, attempt, { eventuallyMs: 0, consistentlyMs: 2000, intervalMs: 500 }, clock);
    assert.deepEqual([obs.verdict, obs.attempts, obs.durationMs], ['fail', 1, 0]);
  });
});

describe('probe edge cases found in review', () => {
  it('older curl naming an unreachable host (exit 7, No route to host) is a drop, not a refusal', () => {
    const t = interpretTry(httpDeny, httpArgv, 'curl: (7) Failed to connect to 203.203.0.99 port 9000: No route to host', 7);
    assert.equal(t.reached, false);
    assert.equal(isRefused(t), false);
  });

  it('ping with duplicates still has a summary', () => {
    const t = interpretTry(icmpAllow, icmpArgv, '3 packets transmitted, 3 received, +1 duplicates, 0% packet loss, time 402ms', 0);
    assert.equal(t.reached, true);
  });

  it('a deny blocked once and then only inconclusive tries is inconclusive, not a fail', async () => {
    const clock = new FakeClock();
    const { attempt } = scripted(clock, [HTTP_TIMEOUT, { throws: 'console dropped' }]);
    const o = await settle(httpDeny, attempt, TIMING, clock);
    assert.equal(o.verdict, 'inconclusive');
  });
});
