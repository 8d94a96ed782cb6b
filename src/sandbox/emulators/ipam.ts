/** Address arithmetic for the emulated OVN-Kubernetes: pure, so it is tested on its own. */

export function ipToNumber(ip: string): number {
  return ip.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
}

export function numberToIp(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

/** A subnet's network address (host bits cleared), its size and its prefix length. */
export function subnet(cidr: string): { start: number; size: number; prefix: number } {
  const [base, bits] = cidr.split('/');
  const prefix = Number(bits);
  const size = 2 ** (32 - prefix);
  return { start: ipToNumber(base!) - (ipToNumber(base!) % size), size, prefix };
}

/** The address OVN-Kubernetes gives a network's router port: the subnet's first. */
export function gatewayOf(cidr: string): string {
  return numberToIp(subnet(cidr).start + 1);
}

export function broadcastOf(cidr: string): string {
  const { start, size } = subnet(cidr);
  return numberToIp(start + size - 1);
}

/**
 * The first free host address of `cidr`, skipping the network address, the gateway (.1) and the
 * management port (.2) that OVN-Kubernetes keeps on a Layer2 network.
 */
export function firstFree(cidr: string, used: ReadonlySet<string>): string {
  const { start, size } = subnet(cidr);
  for (let i = 3; i < size - 1; i++) {
    const ip = numberToIp(start + i);
    if (!used.has(ip)) return ip;
  }
  throw new Error(`subnet ${cidr} is exhausted`);
}

/** OVN-Kubernetes derives a pod's MAC from its IPv4 address: 0a:58 and the four octets. */
export function macFor(ip: string): string {
  return ['0a', '58', ...ip.split('.').map((o) => Number(o).toString(16).padStart(2, '0'))].join(':');
}

export interface NetworkStatusEntry {
  name: string;
  interface: string;
  ips: string[];
  mac: string;
  default?: boolean;
  dns: Record<string, never>;
}

/** The `k8s.v1.cni.cncf.io/network-status` annotation exactly as the talk's demo script shows it. */
export function networkStatus(defaultIp: string, udnIp: string | undefined): NetworkStatusEntry[] {
  // The default-network entry is marked default only when no primary UDN takes that role.
  const eth0: NetworkStatusEntry = udnIp
    ? { name: 'ovn-kubernetes', interface: 'eth0', ips: [defaultIp], mac: macFor(defaultIp), dns: {} }
    : { name: 'ovn-kubernetes', interface: 'eth0', ips: [defaultIp], mac: macFor(defaultIp), default: true, dns: {} };
  const entries = [eth0];
  if (udnIp) entries.push({ name: 'ovn-kubernetes', interface: 'ovn-udn1', ips: [udnIp], mac: macFor(udnIp), default: true, dns: {} });
  return entries;
}
