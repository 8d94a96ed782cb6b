import { formatIpv4, parseIpv4Cidr } from '../config/cidr.ts';
import type { GuestNetworkReport } from '../model/activities.ts';
import type { CheckResult } from '../model/result.ts';

/** What a VM on a primary UDN must see: its address with the UDN's prefix, the UDN's gateway, OVN's MTU. */
export interface GuestNetworkExpectation {
  address: string;
  subnet: string;
  mtu: number;
}

interface IpAddr {
  ifname?: string;
  mtu?: number;
  addr_info?: { family?: string; local?: string; prefixlen?: number }[];
}
interface IpRoute {
  dst?: string;
  gateway?: string;
  dev?: string;
}

/** The interface named eth0 as the guest names it (Fedora's predictable names are off on the talk's image). */
const IFACE = 'eth0';

/** The vm-network-config verdict, from what iproute2 printed as JSON; unparseable output fails with the reason. */
export function guestNetworkCheck(id: string, description: string, want: GuestNetworkExpectation, seen: GuestNetworkReport, group?: string): CheckResult {
  const cidr = parseIpv4Cidr(want.subnet);
  const prefix = typeof cidr === 'string' ? NaN : cidr.prefix;
  const gateway = typeof cidr === 'string' ? '?' : formatIpv4(cidr.network + 1);
  const expected = `${IFACE} holds ${want.address}/${prefix}; default via ${gateway}; mtu ${want.mtu}`;
  const evidence = [seen.addresses, seen.routes].map((c) => `$ ${c.command}\n${c.output}\n[exit ${c.exitCode}]`);
  const result = (passed: boolean, observed: string): CheckResult => ({ id, ...(group ? { group } : {}), description, expected, observed, passed, evidence });
  const addrs = parseJson<IpAddr[]>(seen.addresses.output);
  const routes = parseJson<IpRoute[]>(seen.routes.output);
  if (typeof addrs === 'string') return result(false, `ip -j addr show: ${addrs}`);
  if (typeof routes === 'string') return result(false, `ip -j route show: ${routes}`);
  const iface = addrs.find((a) => a.ifname === IFACE);
  if (!iface) return result(false, `no interface ${IFACE}; interfaces: ${addrs.map((a) => a.ifname).join(', ') || 'none'}`);
  const inet = (iface.addr_info ?? []).filter((a) => a.family === 'inet');
  const def = routes.find((r) => r.dst === 'default');
  const held = inet.map((a) => `${a.local}/${a.prefixlen}`);
  const observed = `${IFACE} holds ${held.join(', ') || 'no IPv4 address'}; ${def ? `default via ${def.gateway ?? 'no gateway'} dev ${def.dev ?? '?'}` : 'no default route'}; mtu ${iface.mtu ?? '?'}`;
  const passed = held.includes(`${want.address}/${prefix}`) && def?.gateway === gateway && def.dev === IFACE && iface.mtu === want.mtu;
  return result(passed, observed);
}

function parseJson<T extends unknown[]>(text: string): T | string {
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? (parsed as T) : 'not a JSON array';
  } catch {
    return `not JSON: ${JSON.stringify(text.slice(0, 80))}`;
  }
}

