import type { Endpoint } from '../dataplane/reachability.ts';
import { ipInCidr } from '../dataplane/selectors.ts';
import { broadcastOf, gatewayOf, macFor, numberToIp, subnet } from '../emulators/ipam.ts';

/** iproute2's "forever" lifetime. */
export const FOREVER = 4294967295;
/** What NetworkManager's DHCP lease has left when anyone looks (the guests' clocks are not modelled). */
const LEASE_LEFT = 2786;

/** One address as `ip -j addr show` prints it, in iproute2's key order. */
export interface AddrInfo {
  family: 'inet' | 'inet6';
  local: string;
  prefixlen: number;
  broadcast?: string;
  scope: 'host' | 'global' | 'link';
  dynamic?: true;
  noprefixroute?: true;
  label?: string;
  valid_life_time: number;
  preferred_life_time: number;
}

/** One interface as `ip -j addr show` prints it; `details` are what `-d` adds. */
export interface Link {
  ifindex: number;
  ifname: string;
  flags: string[];
  mtu: number;
  qdisc: string;
  operstate: string;
  group: string;
  txqlen: number;
  link_type: string;
  address: string;
  broadcast: string;
  details: Record<string, string | number>;
  altnames?: string[];
  addr_info: AddrInfo[];
}

/** One route as `ip -j route show` prints it, in iproute2's key order. */
export interface Route {
  dst: string;
  gateway?: string;
  dev: string;
  protocol: string;
  scope?: string;
  prefsrc?: string;
  metric: number;
  flags: string[];
  pref?: string;
}

/** The guest's eth0 on its primary network, where KubeVirt's DHCP put it; undefined off any subnet. */
interface Eth0 {
  ip: string;
  cidr: string;
  mac: string;
  mtu: number;
}

function eth0(self: Endpoint | undefined, subnets: readonly string[]): Eth0 | undefined {
  const cidr = self && subnets.find((c) => ipInCidr(self.ip, c));
  return self && cidr ? { ip: self.ip, cidr, mac: macFor(self.ip), mtu: self.mtu } : undefined;
}

const DETAILS = { promiscuity: 0, allmulti: 0 };
const QUEUES = { num_tx_queues: 1, num_rx_queues: 1, gso_max_size: 65536, gso_max_segs: 65535, tso_max_size: 65536, tso_max_segs: 65535, gro_max_size: 65536 };

/**
 * A Fedora cloud guest's interfaces: lo, and eth0 (virtio, renamed from enp1s0) holding the VM's
 * address on its primary network with that subnet's prefix, the network's MTU and OVN's MAC.
 * Without a place on a network (not plumbed yet) only lo is there.
 */
export function links(self: Endpoint | undefined, subnets: readonly string[]): Link[] {
  const lo: Link = {
    ifindex: 1,
    ifname: 'lo',
    flags: ['LOOPBACK', 'UP', 'LOWER_UP'],
    mtu: 65536,
    qdisc: 'noqueue',
    operstate: 'UNKNOWN',
    group: 'default',
    txqlen: 1000,
    link_type: 'loopback',
    address: '00:00:00:00:00:00',
    broadcast: '00:00:00:00:00:00',
    details: { ...DETAILS, min_mtu: 0, max_mtu: 0, inet6_addr_gen_mode: 'eui64', ...QUEUES },
    addr_info: [
      { family: 'inet', local: '127.0.0.1', prefixlen: 8, scope: 'host', label: 'lo', valid_life_time: FOREVER, preferred_life_time: FOREVER },
      { family: 'inet6', local: '::1', prefixlen: 128, scope: 'host', noprefixroute: true, valid_life_time: FOREVER, preferred_life_time: FOREVER },
    ],
  };
  const e = eth0(self, subnets);
  if (!e) return [lo];
  const { prefix } = subnet(e.cidr);
  return [
    lo,
    {
      ifindex: 2,
      ifname: 'eth0',
      flags: ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP'],
      mtu: e.mtu,
      qdisc: 'fq_codel',
      operstate: 'UP',
      group: 'default',
      txqlen: 1000,
      link_type: 'ether',
      address: e.mac,
      broadcast: 'ff:ff:ff:ff:ff:ff',
      details: { ...DETAILS, min_mtu: 68, max_mtu: 65535, inet6_addr_gen_mode: 'none', ...QUEUES, parentbus: 'virtio', parentdev: 'virtio0' },
      altnames: ['enp1s0'],
      addr_info: [
        { family: 'inet', local: e.ip, prefixlen: prefix, broadcast: broadcastOf(e.cidr), scope: 'global', dynamic: true, noprefixroute: true, label: 'eth0', valid_life_time: LEASE_LEFT, preferred_life_time: LEASE_LEFT },
        { family: 'inet6', local: linkLocal(e.mac), prefixlen: 64, scope: 'link', noprefixroute: true, valid_life_time: FOREVER, preferred_life_time: FOREVER },
      ],
    },
  ];
}

/** The guest's routes: DHCP's default route via the network's gateway, and its subnet on-link. */
export function routes(self: Endpoint | undefined, subnets: readonly string[], family: 'inet' | 'inet6'): Route[] {
  const e = eth0(self, subnets);
  if (!e) return [];
  if (family === 'inet6') return [{ dst: 'fe80::/64', dev: 'eth0', protocol: 'kernel', metric: 1024, flags: [], pref: 'medium' }];
  const { start, prefix } = subnet(e.cidr);
  return [
    { dst: 'default', gateway: gatewayOf(e.cidr), dev: 'eth0', protocol: 'dhcp', prefsrc: e.ip, metric: 100, flags: [] },
    { dst: `${numberToIp(start)}/${prefix}`, dev: 'eth0', protocol: 'kernel', scope: 'link', prefsrc: e.ip, metric: 100, flags: [] },
  ];
}

/** The EUI-64 link-local address of a MAC: fe80:: with the universal/local bit flipped and ff:fe inserted. */
function linkLocal(mac: string): string {
  const b = mac.split(':').map((h) => Number.parseInt(h, 16));
  const groups = [(b[0]! ^ 2) * 256 + b[1]!, b[2]! * 256 + 0xff, 0xfe00 + b[3]!, b[4]! * 256 + b[5]!];
  return `fe80::${groups.map((g) => g.toString(16)).join(':')}`;
}
