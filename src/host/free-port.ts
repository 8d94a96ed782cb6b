import { readFileSync } from 'node:fs';
import getPort from 'get-port';

const LOWEST = 20_000;

/**
 * The first port of the kernel's ephemeral range. A port we pick and hand to a server is free
 * only until that server binds it; in between, any process binding port 0 (the Temporal dev
 * server picks its internal service ports that way) may be given it by the kernel. Ports below
 * this range are never handed out for port 0, so that race cannot happen.
 */
function ephemeralLow(): number {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > LOWEST + 1000 ? low : 32_768;
  } catch {
    return 32_768;
  }
}

/**
 * A free TCP port below the ephemeral range, chosen at random so that two processes asking at
 * the same moment are unlikely to be told the same one (get-port's own reservation holds only
 * within one process).
 */
export function freePort(): Promise<number> {
  const high = ephemeralLow() - 1;
  const candidates = Array.from({ length: 64 }, () => LOWEST + Math.floor(Math.random() * (high - LOWEST)));
  return getPort({ port: candidates });
}
