/**
 * Synthetic hour-long captures in the exact shape of the real ones in test/fixtures/captures/
 * (iperf3 3.12 `--json`, iputils 20221126 `ping -D -O`), each with one migration-like outage.
 * Deterministic: the same seed gives the same bytes.
 */

/** mulberry32: small, fast, seedable. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---------------------------------------------------------------------------------------------
// cJSON's formatted printer, which iperf3 3.12 uses: tabs, `"key":\tvalue`, arrays as `[a, b]`,
// integers as %d, other numbers as %1.15g unless that does not read back, then %1.17g.
// cjsonPrint(JSON.parse(fixture)) reproduces the fixtures byte for byte (see the benchmark).
// ---------------------------------------------------------------------------------------------

/** C's %.{p}g. */
function formatG(x: number, p: number): string {
  if (x === 0) return '0';
  let s = x.toExponential(p - 1);
  const e = Number(s.slice(s.indexOf('e') + 1));
  if (e < -4 || e >= p) {
    let [mant, ex] = s.split('e') as [string, string];
    if (mant.includes('.')) mant = mant.replace(/\.?0+$/, '');
    const n = Number(ex);
    return `${mant}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
  }
  s = x.toFixed(Math.max(0, p - 1 - e));
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

function cjsonNumber(x: number): string {
  if (!Number.isFinite(x)) return 'null';
  if (Number.isInteger(x) && Math.abs(x) <= 2147483647) return String(x);
  const short = formatG(x, 15);
  return Number(short) === x ? short : formatG(x, 17);
}

export function cjsonPrint(value: unknown, depth = 0): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') return cjsonNumber(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => cjsonPrint(v, depth + 1)).join(', ')}]`;
  const tabs = '\t'.repeat(depth + 1);
  const entries = Object.entries(value as Record<string, unknown>).map(([k, v]) => `${tabs}${JSON.stringify(k)}:\t${cjsonPrint(v, depth + 1)}`);
  return `{\n${entries.join(',\n')}${entries.length > 0 ? '\n' : ''}${'\t'.repeat(depth)}}`;
}

// ---------------------------------------------------------------------------------------------
// iperf3 3.12 --json
// ---------------------------------------------------------------------------------------------

export interface Outage {
  /** Seconds since the capture's start when traffic stops. */
  fromS: number;
  /** How long nothing gets through, s. */
  forS: number;
}

export interface Iperf3Capture {
  text: string;
  intervals: number;
  outage: Outage;
  startedAtS: number;
}

const BLOCK = 131072;

/**
 * `iperf3 -c 203.203.0.6 -t SECONDS -i 0.1 --json -b 1G -w 256K` between two VMs on the green UDN
 * (MTU 1400): about 95 blocks of 128 KiB per 0.1 s interval; during the outage no byte moves, TCP
 * retransmits at 0.2, 0.6 and 1.4 s (RTO backoff) and the window collapses, then traffic resumes.
 */
export function iperf3Json(options: { seconds: number; intervalS: number; outage: Outage; startedAtS: number; seed?: number }): Iperf3Capture {
  const rnd = prng(options.seed ?? 1);
  const { outage } = options;
  const until = outage.fromS + outage.forS;
  const intervals: unknown[] = [];
  let start = 0;
  let totalBytes = 0;
  let totalRetr = 0;
  let owedBytes = 0;
  let maxCwnd = 0;
  let maxRtt = 0;
  let minRtt = Number.POSITIVE_INFINITY;
  let rttSum = 0;
  let cwnd = 1113211;
  const count = Math.round(options.seconds / options.intervalS);
  const retransmitAt = [0.2, 0.6, 1.4].map((d) => outage.fromS + d).filter((t) => t < until);
  for (let i = 0; i < count; i++) {
    const end = Math.round((start + options.intervalS + (rnd() - 0.45) * 0.0003) * 1e6) / 1e6;
    const seconds = Math.fround(end - start);
    // The share of this interval outside the outage carries data at 1 Gbit/s, in whole blocks.
    const live = Math.max(0, end - start - Math.max(0, Math.min(end, until) - Math.max(start, outage.fromS)));
    owedBytes += (1e9 / 8) * live;
    const blocks = Math.floor(owedBytes / BLOCK);
    owedBytes -= blocks * BLOCK;
    const bytes = blocks * BLOCK;
    const retransmits = retransmitAt.filter((t) => t >= start && t < end).length + (rnd() < 0.0005 ? 1 : 0);
    if (retransmits > 0) cwnd = Math.max(1348, Math.round(cwnd / 2));
    else cwnd = Math.min(1240000, Math.round(cwnd * (cwnd < 400000 ? 1.5 : 1.002)));
    if (end > outage.fromS && start < until) cwnd = 1348;
    const rtt = 380 + Math.round(rnd() * 250);
    maxCwnd = Math.max(maxCwnd, cwnd);
    maxRtt = Math.max(maxRtt, rtt);
    minRtt = Math.min(minRtt, rtt);
    rttSum += rtt;
    totalBytes += bytes;
    totalRetr += retransmits;
    const bitsPerSecond = (bytes * 8) / seconds;
    intervals.push({
      streams: [
        {
          socket: 5,
          start,
          end,
          seconds,
          bytes,
          bits_per_second: bitsPerSecond,
          retransmits,
          snd_cwnd: cwnd,
          snd_wnd: 450824 + Math.round(rnd() * 60000),
          rtt,
          rttvar: 20 + Math.round(rnd() * 60),
          pmtu: 1400,
          omitted: false,
          sender: true,
        },
      ],
      sum: { start, end, seconds, bytes, bits_per_second: bitsPerSecond, retransmits, omitted: false, sender: true },
    });
    start = end;
  }
  const endS = start;
  const sent = { socket: 5, start: 0, end: endS, seconds: endS, bytes: totalBytes, bits_per_second: (totalBytes * 8) / endS, retransmits: totalRetr };
  const received = { socket: 5, start: 0, end: endS + 0.00008, seconds: endS, bytes: totalBytes, bits_per_second: (totalBytes * 8) / (endS + 0.00008) };
  const doc = {
    start: {
      connected: [{ socket: 5, local_host: '203.203.0.5', local_port: 44172, remote_host: '203.203.0.6', remote_port: 5201 }],
      version: 'iperf 3.12',
      system_info: 'Linux vm-a 6.11.4-301.fc41.x86_64 #1 SMP PREEMPT_DYNAMIC Sun Oct 20 15:02:33 UTC 2024 x86_64',
      timestamp: { time: new Date(options.startedAtS * 1000).toUTCString(), timesecs: options.startedAtS },
      connecting_to: { host: '203.203.0.6', port: 5201 },
      cookie: 'x4jv2mbdwq7l3tzuyh5kpf6rcen2ao3sgb7i',
      tcp_mss_default: 1348,
      target_bitrate: 1000000000,
      sock_bufsize: 262144,
      sndbuf_actual: 524288,
      rcvbuf_actual: 524288,
      test_start: { protocol: 'TCP', num_streams: 1, blksize: BLOCK, omit: 0, duration: options.seconds, bytes: 0, blocks: 0, reverse: 0, tos: 0, target_bitrate: 1000000000 },
    },
    intervals,
    end: {
      streams: [
        {
          sender: { ...sent, max_snd_cwnd: maxCwnd, max_snd_wnd: 515072, max_rtt: maxRtt, min_rtt: minRtt, mean_rtt: Math.round(rttSum / count), sender: true },
          receiver: { ...received, sender: true },
        },
      ],
      sum_sent: { ...sent, sender: true },
      sum_received: { ...received, sender: true },
      cpu_utilization_percent: { host_total: 9.8641723046218774, host_user: 0.41352090225307316, host_system: 9.4506514023688041, remote_total: 6.2144076918532057, remote_user: 0.52170127802745423, remote_system: 5.6927064138257515 },
      sender_tcp_congestion: 'cubic',
      receiver_tcp_congestion: 'cubic',
    },
  };
  return { text: `${cjsonPrint(doc)}\n`, intervals: count, outage, startedAtS: options.startedAtS };
}

// ---------------------------------------------------------------------------------------------
// iputils ping -D -O
// ---------------------------------------------------------------------------------------------

export interface PingCapture {
  text: string;
  lines: number;
  probes: number;
  outage: Outage;
}

/** iputils prints the RTT with 3 decimals under 1 ms, 2 under 10, 1 under 100, none above. */
function rttText(ms: number): string {
  if (ms >= 99.95) return ms.toFixed(0);
  if (ms >= 9.995) return ms.toFixed(1);
  if (ms >= 0.9995) return ms.toFixed(2);
  return ms.toFixed(3);
}

/** C's %g (6 significant digits), as ping prints the loss percentage. */
function g6(x: number): string {
  return formatG(x, 6);
}

/**
 * `ping -D -O -i 0.01 203.203.0.6`, `probes` probes, stopped with ^C: one line per probe (a reply, or
 * "no answer yet" printed as the next probe leaves), icmp_seq wrapping past 65535, and the summary.
 * Replies to probes sent during the outage never come.
 */
export function pingLog(options: { probes: number; intervalS: number; outage: Outage; startedAtS: number; seed?: number }): PingCapture {
  const rnd = prng(options.seed ?? 2);
  const { outage } = options;
  const host = '203.203.0.6';
  const parts: string[] = [`PING ${host} (${host}) 56(84) bytes of data.`];
  let sentAt = options.startedAtS;
  let received = 0;
  let lost = 0;
  let rttMin = Number.POSITIVE_INFINITY;
  let rttMax = 0;
  let rttSum = 0;
  let rttSq = 0;
  let pendingOverdue: number | undefined;
  const stamp = (t: number) => `[${t.toFixed(6)}]`;
  for (let k = 1; k <= options.probes; k++) {
    // As the probe leaves: "no answer yet" for the one before, if it is still unanswered.
    if (pendingOverdue !== undefined) {
      parts.push(`${stamp(sentAt)} no answer yet for icmp_seq=${pendingOverdue % 65536}`);
      pendingOverdue = undefined;
    }
    const rel = sentAt - options.startedAtS;
    const rttMs = 0.25 + rnd() * 0.3 + (rnd() < 0.001 ? rnd() * 4 : 0);
    const arrives = rel + rttMs / 1000;
    if (arrives >= outage.fromS && rel < outage.fromS + outage.forS) {
      pendingOverdue = k;
      lost++;
    } else {
      const shown = Number(rttText(rttMs));
      parts.push(`${stamp(sentAt + rttMs / 1000)} 64 bytes from ${host}: icmp_seq=${k % 65536} ttl=64 time=${rttText(rttMs)} ms`);
      received++;
      rttMin = Math.min(rttMin, shown);
      rttMax = Math.max(rttMax, shown);
      rttSum += shown;
      rttSq += shown * shown;
    }
    sentAt += options.intervalS + (rnd() - 0.5) * 0.0002;
  }
  const avg = rttSum / received;
  const mdev = Math.sqrt(Math.max(0, rttSq / received - avg * avg));
  const timeMs = Math.round((sentAt - options.intervalS - options.startedAtS) * 1000);
  parts.push(
    '',
    `--- ${host} ping statistics ---`,
    `${options.probes} packets transmitted, ${received} received, ${g6((lost / options.probes) * 100)}% packet loss, time ${timeMs}ms`,
    `rtt min/avg/max/mdev = ${rttMin.toFixed(3)}/${avg.toFixed(3)}/${rttMax.toFixed(3)}/${mdev.toFixed(3)} ms`,
    '',
  );
  return { text: parts.join('\n'), lines: parts.length - 1, probes: options.probes, outage };
}
