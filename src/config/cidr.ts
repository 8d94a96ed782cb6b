/** IPv4 CIDR parsing for config validation; the demo's UDNs are IPv4 single-stack. */
export interface Ipv4Cidr {
  text: string;
  network: number;
  prefix: number;
}

export function parseIpv4Cidr(text: string): Ipv4Cidr | string {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text);
  if (!m) return `"${text}" is not an IPv4 CIDR like 203.203.0.0/16`;
  const octets = m.slice(1, 5).map(Number);
  if (octets.some((o) => o > 255)) return `"${text}" has an octet above 255`;
  const prefix = Number(m[5]);
  if (prefix < 8 || prefix > 30) return `"${text}" has prefix /${prefix}; use /8 to /30`;
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  if (address % size !== 0) return `"${text}" has host bits set; the network is ${formatIpv4(address - (address % size))}/${prefix}`;
  return { text, network: address, prefix };
}

export function cidrsOverlap(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
  const aEnd = a.network + 2 ** (32 - a.prefix);
  const bEnd = b.network + 2 ** (32 - b.prefix);
  return a.network < bEnd && b.network < aEnd;
}

export function formatIpv4(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}
