import { createHash } from 'node:crypto';
import { ipInCidr, ipv4ToNumber } from './selectors.ts';

/**
 * A host outside the cluster. Packets reach it only through a network's gateway (SNAT to the
 * node's address), and it answers for its own address only.
 */
export interface OutsideHost {
  ip: string;
  /** Who it is, shown in evidence and in the page it serves. */
  name: string;
  /** TCP ports it accepts; `body` is what it answers to any HTTP request on that port. */
  listening: ReadonlyArray<{ port: number; body?: string }>;
  /** The TTL its answers arrive with; a host right beside the node: 64 less the node and the gateway router. */
  ttl?: number;
}

/** Where the sandbox's DNS puts every name it resolves (RFC 2544's benchmarking range). */
const NAMED_RANGE = '198.18.0.0/15';
/** Public hosts answer from far away: a typical Internet path as seen from a laptop. */
const INTERNET_TTL = 115;
const WEB = [{ port: 80 }, { port: 443 }];
/** Public resolvers people ping by address; any other literal public address has nobody behind it here. */
const WELL_KNOWN: readonly OutsideHost[] = [
  { ip: '8.8.8.8', name: 'dns.google', listening: [{ port: 53 }, ...WEB], ttl: INTERNET_TTL },
  { ip: '8.8.4.4', name: 'dns.google', listening: [{ port: 53 }, ...WEB], ttl: INTERNET_TTL },
  { ip: '1.1.1.1', name: 'one.one.one.one', listening: [{ port: 53 }, ...WEB], ttl: INTERNET_TTL },
  { ip: '1.0.0.1', name: 'one.one.one.one', listening: [{ port: 53 }, ...WEB], ttl: INTERNET_TTL },
  { ip: '9.9.9.9', name: 'dns9.quad9.net', listening: [{ port: 53 }, ...WEB], ttl: INTERNET_TTL },
];

/**
 * The emulated world outside the cluster: the hosts `added` (by tests), the well-known public
 * resolvers, and a web host behind every name the sandbox's DNS resolves. Nothing else answers,
 * so a private address, or another tenant's subnet, sent out of the cluster finds nobody.
 */
export function outsideHost(added: readonly OutsideHost[], ip: string): OutsideHost | undefined {
  const known = added.find((h) => h.ip === ip) ?? WELL_KNOWN.find((h) => h.ip === ip);
  if (known) return known;
  return ipInCidr(ip, NAMED_RANGE) ? { ip, name: 'internet', listening: WEB, ttl: INTERNET_TTL } : undefined;
}

/**
 * The sandbox's DNS for names outside the cluster: each name gets a stable address in
 * 198.18.0.0/15 (reserved for benchmarking, never a real host), so output looks like the real
 * tools' without pretending to be a real host. `.invalid` names (RFC 2606) do not resolve.
 */
export function resolveName(host: string): string | undefined {
  if (ipv4ToNumber(host) !== undefined) return host;
  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/i.test(host) || host.toLowerCase().endsWith('.invalid')) return undefined;
  const digest = createHash('sha256').update(host.toLowerCase()).digest();
  return `198.${18 + (digest[0]! & 1)}.${digest[1]}.${1 + (digest[2]! % 254)}`;
}
