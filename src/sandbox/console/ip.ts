import type { Guest } from './guest.ts';
import { FOREVER, links, routes, type AddrInfo, type Link, type Route } from './guest-network.ts';
import type { Io } from './io.ts';

interface Options {
  family?: 'inet' | 'inet6';
  details: boolean;
  json: boolean;
  pretty: boolean;
}

/**
 * iproute2's `ip [-4|-6] [-j [-p]] [-d] {address|link|route} [show [dev] [IFNAME]]`, text or
 * JSON from one model of the guest's network (guest-network.ts), abbreviations as ip takes them.
 */
export async function ip(args: string[], g: Guest, io: Io): Promise<number> {
  const fail = (message: string, code: number) => {
    io.err(`${message}\n`);
    return code;
  };
  const opts: Options = { details: false, json: false, pretty: false };
  let i = 0;
  for (; i < args.length && args[i]!.startsWith('-'); i++) {
    // ip takes --json as -json, and any prefix of an option's name.
    const opt = args[i]!.startsWith('--') ? args[i]!.slice(1) : args[i]!;
    if (opt === '-4') opts.family = 'inet';
    else if (opt === '-6') opts.family = 'inet6';
    else if (abbreviates(opt, '-family')) {
      const f = args[++i];
      if (f !== 'inet' && f !== 'inet6') return fail(`Error: argument "${f ?? ''}" is wrong: invalid protocol family`, 255);
      opts.family = f;
    } else if (abbreviates(opt, '-details')) opts.details = true;
    else if (abbreviates(opt, '-json')) opts.json = true;
    else if (abbreviates(opt, '-pretty')) opts.pretty = true;
    else return fail(`Option "${args[i]}" is unknown, try "ip -help".`, 255);
  }
  const [object, command = 'show', ...filter] = args.slice(i);
  if (object === undefined) return fail('Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }\nwhere  OBJECT := { address | link | route }', 255);
  const kind = (['address', 'link', 'route'] as const).find((o) => abbreviates(object, o));
  if (!kind) return fail(`Object "${object}" is unknown, try "ip help".`, 255);
  if (!['list', 'show', 'lst'].some((c) => abbreviates(command, c))) return fail(`Command "${command}" is unknown, try "ip ${kind} help".`, 255);

  const self = g.ctx.self();
  const subnets = self ? (g.ctx.world().subnets[self.network] ?? []) : [];
  const dev = filter[0] === 'dev' ? filter[1] : filter[0];
  const out = (data: unknown[], text: string) => io.out(opts.json ? `${JSON.stringify(data, null, opts.pretty ? 4 : undefined)}\n` : text);

  const all = links(self, subnets);
  if (dev !== undefined && !all.some((l) => l.ifname === dev)) return fail(kind === 'route' ? `Cannot find device "${dev}"` : `Device "${dev}" does not exist.`, 1);
  if (kind === 'route') {
    const shown = routes(self, subnets, opts.family ?? 'inet').filter((r) => dev === undefined || r.dev === dev);
    const data = opts.details ? shown.map((r) => ({ type: 'unicast', ...r, scope: r.scope ?? 'global' })) : shown;
    out(data, data.map((r) => routeLine(r, opts.details)).join(''));
    return 0;
  }
  const shown = all
    .filter((l) => dev === undefined || l.ifname === dev)
    .map((l) => ({ ...l, addr_info: l.addr_info.filter((a) => !opts.family || a.family === opts.family) }))
    // A family filter leaves out interfaces without an address of that family, as ip does.
    .filter((l) => kind === 'link' || !opts.family || l.addr_info.length > 0);
  const withAddresses = kind === 'address';
  out(
    shown.map((l) => linkJson(l, opts.details, withAddresses)),
    shown.map((l) => linkText(l, opts.details) + (withAddresses ? l.addr_info.map(addrText).join('') : '')).join(''),
  );
  return 0;
}

/** ip's matches(): the word is a non-empty prefix of the name. */
function abbreviates(word: string, name: string): boolean {
  return word.length > 0 && name.startsWith(word);
}

function linkJson(l: Link, details: boolean, withAddresses: boolean): Record<string, unknown> {
  const { details: extra, altnames, addr_info, ...head } = l;
  return { ...head, ...(details ? extra : {}), ...(altnames ? { altnames } : {}), ...(withAddresses ? { addr_info } : {}) };
}

/** The names `ip -d` prints in text where its JSON keys differ. */
const TEXT_NAMES: Record<string, string> = { min_mtu: 'minmtu', max_mtu: 'maxmtu', inet6_addr_gen_mode: 'addrgenmode', num_tx_queues: 'numtxqueues', num_rx_queues: 'numrxqueues' };

function linkText(l: Link, details: boolean): string {
  const extra = details ? Object.entries(l.details).map(([k, v]) => ` ${TEXT_NAMES[k] ?? k} ${v}`).join('') : '';
  return [
    `${l.ifindex}: ${l.ifname}: <${l.flags.join(',')}> mtu ${l.mtu} qdisc ${l.qdisc} state ${l.operstate} group ${l.group} qlen ${l.txqlen}\n`,
    `    link/${l.link_type} ${l.address} brd ${l.broadcast}${extra}\n`,
    ...(l.altnames ?? []).map((n) => `    altname ${n}\n`),
  ].join('');
}

function addrText(a: AddrInfo): string {
  const flags = [a.broadcast ? `brd ${a.broadcast}` : '', `scope ${a.scope}`, a.dynamic ? 'dynamic' : '', a.noprefixroute ? 'noprefixroute' : ''].filter(Boolean).join(' ');
  // ip ends an address line with its label, or with the space after the last flag.
  const lifetime = (s: number) => (s === FOREVER ? 'forever' : `${s}sec`);
  return `    ${a.family} ${a.local}/${a.prefixlen} ${flags} ${a.label ?? ''}\n       valid_lft ${lifetime(a.valid_life_time)} preferred_lft ${lifetime(a.preferred_life_time)}\n`;
}

function routeLine(r: Route & { type?: string }, details: boolean): string {
  const parts = [
    details ? r.type : '',
    r.dst,
    r.gateway ? `via ${r.gateway}` : '',
    `dev ${r.dev}`,
    `proto ${r.protocol}`,
    r.scope ? `scope ${r.scope}` : '',
    r.prefsrc ? `src ${r.prefsrc}` : '',
    `metric ${r.metric}`,
  ].filter(Boolean);
  // Each field is printed with its trailing space; `pref` (IPv6) is the one without.
  return `${parts.join(' ')} ${r.pref ? `pref ${r.pref}` : ''}\n`;
}
