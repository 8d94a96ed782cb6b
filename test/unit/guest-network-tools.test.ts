import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Guest } from '../../src/sandbox/console/guest.ts';
import { runLine } from '../../src/sandbox/console/shell.ts';
import type { OutsideHost } from '../../src/sandbox/dataplane/internet.ts';
import type { Endpoint, World } from '../../src/sandbox/dataplane/reachability.ts';

const GREEN_NET = 'green/namespace-scoped';
const BLUE_NET = 'blue/separate-namespace';
const greenVm = (name: string, ip: string): Endpoint => ({ namespace: 'green', name, kind: 'VirtualMachineInstance', labels: {}, network: GREEN_NET, ip, node: 'ovn-worker2', mtu: 1400, migrating: false, listening: [] });
const vmA = greenVm('vm-a', '203.203.0.4');

function worldOf(endpoints: Endpoint[], extra: Partial<World> = {}): World {
  return {
    endpoints,
    policies: [],
    namespaceLabels: () => ({}),
    subnets: { [GREEN_NET]: ['203.203.0.0/16'], [BLUE_NET]: ['192.168.0.0/16'] },
    nodeAddresses: { 'ovn-worker': '172.18.0.3', 'ovn-worker2': '172.18.0.4' },
    egress: true,
    networksJoined: false,
    outside: [],
    ...extra,
  };
}

/** Logged-in guests of green VMs over a world the test controls; each finds itself and its peers in it. */
function guests(world: () => World): (name: string) => Guest {
  const booted = new Map<string, Guest>();
  const guest = (name: string): Guest => {
    const known = booted.get(name);
    if (known) return known;
    const g = new Guest(name, { user: 'fedora', password: 'fedora' }, {
      self: () => world().endpoints.find((e) => e.namespace === 'green' && e.name === name),
      world,
      second: 0,
      peer: (_ns, vm) => guest(vm),
    });
    g.user = 'fedora';
    booted.set(name, g);
    return g;
  };
  return guest;
}

/** Runs one command line in a guest's shell: what the serial console would show, and $?. */
async function shell(g: Guest, line: string): Promise<{ out: string; err: string; status: number }> {
  let [out, err] = ['', ''];
  await runLine(line, g, { out: (x) => (out += x), err: (x) => (err += x), signal: new AbortController().signal });
  return { out, err, status: g.lastStatus };
}

/** vm-a's shell, as `self` (null: not plumbed yet). */
function run(line: string, self: Endpoint | null = vmA): Promise<{ out: string; err: string; status: number }> {
  const endpoints = self ? [self] : [];
  return shell(guests(() => worldOf(endpoints))(self?.name ?? 'vm-a'), line);
}

const ETH0_INET = { family: 'inet', local: '203.203.0.4', prefixlen: 16, broadcast: '203.203.255.255', scope: 'global', dynamic: true, noprefixroute: true, label: 'eth0', valid_life_time: 2786, preferred_life_time: 2786 };

describe("the guest's `ip`, text and iproute2 JSON from one model", () => {
  it('ip -j addr show: lo and eth0 as iproute2 prints them, eth0 holding the UDN address, /16, MTU 1400', async () => {
    const r = await run('ip -j addr show');
    assert.equal(r.status, 0, r.err);
    assert.ok(!r.out.includes('\n') || r.out.indexOf('\n') === r.out.length - 1, 'one line, as without -p');
    const [lo, eth0, ...more] = JSON.parse(r.out) as Record<string, unknown>[];
    assert.equal(more.length, 0);
    assert.deepEqual(Object.keys(lo!), ['ifindex', 'ifname', 'flags', 'mtu', 'qdisc', 'operstate', 'group', 'txqlen', 'link_type', 'address', 'broadcast', 'addr_info']);
    assert.deepEqual((lo!.addr_info as unknown[])[0], { family: 'inet', local: '127.0.0.1', prefixlen: 8, scope: 'host', label: 'lo', valid_life_time: 4294967295, preferred_life_time: 4294967295 });
    assert.deepEqual({ ...eth0, addr_info: undefined }, {
      ifindex: 2,
      ifname: 'eth0',
      flags: ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP'],
      mtu: 1400,
      qdisc: 'fq_codel',
      operstate: 'UP',
      group: 'default',
      txqlen: 1000,
      link_type: 'ether',
      address: '0a:58:cb:cb:00:04',
      broadcast: 'ff:ff:ff:ff:ff:ff',
      altnames: ['enp1s0'],
      addr_info: undefined,
    });
    assert.deepEqual(eth0!.addr_info, [
      ETH0_INET,
      { family: 'inet6', local: 'fe80::858:cbff:fecb:4', prefixlen: 64, scope: 'link', noprefixroute: true, valid_life_time: 4294967295, preferred_life_time: 4294967295 },
    ]);
  });

  it('ip -j route show: the DHCP default route via the subnet\'s first address, and the subnet on-link', async () => {
    const r = await run('ip -j route show');
    assert.deepEqual(JSON.parse(r.out), [
      { dst: 'default', gateway: '203.203.0.1', dev: 'eth0', protocol: 'dhcp', prefsrc: '203.203.0.4', metric: 100, flags: [] },
      { dst: '203.203.0.0/16', dev: 'eth0', protocol: 'kernel', scope: 'link', prefsrc: '203.203.0.4', metric: 100, flags: [] },
    ]);
  });

  it('ip a and ip r say the same in text', async () => {
    const a = await run('ip a');
    assert.equal(
      a.out,
      [
        '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000',
        '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00',
        '    inet 127.0.0.1/8 scope host lo',
        '       valid_lft forever preferred_lft forever',
        '    inet6 ::1/128 scope host noprefixroute ',
        '       valid_lft forever preferred_lft forever',
        '2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1400 qdisc fq_codel state UP group default qlen 1000',
        '    link/ether 0a:58:cb:cb:00:04 brd ff:ff:ff:ff:ff:ff',
        '    altname enp1s0',
        '    inet 203.203.0.4/16 brd 203.203.255.255 scope global dynamic noprefixroute eth0',
        '       valid_lft 2786sec preferred_lft 2786sec',
        '    inet6 fe80::858:cbff:fecb:4/64 scope link noprefixroute ',
        '       valid_lft forever preferred_lft forever',
        '',
      ].join('\n'),
    );
    const r = await run('ip r');
    assert.equal(r.out, 'default via 203.203.0.1 dev eth0 proto dhcp src 203.203.0.4 metric 100 \n203.203.0.0/16 dev eth0 proto kernel scope link src 203.203.0.4 metric 100 \n');
  });

  it('the MTU and address are the endpoint\'s: another network and MTU show through both forms', async () => {
    const other: Endpoint = { ...vmA, ip: '203.203.7.9', mtu: 1500 };
    const [eth0] = (JSON.parse((await run('ip -j a show eth0', other)).out) as { mtu: number; addr_info: { local: string }[] }[]);
    assert.equal(eth0!.mtu, 1500);
    assert.equal(eth0!.addr_info[0]!.local, '203.203.7.9');
    assert.match((await run('ip a', other)).out, /^2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 /m);
  });

  const equivalents = ['ip -j addr show', 'ip -j a', 'ip -json address', 'ip --json a show', 'ip -j addr list', 'ip -j a show dev eth0 ', 'ip -j a s eth0'];
  for (const line of equivalents) {
    it(`${line}: eth0's IPv4 address`, async () => {
      const links = JSON.parse((await run(line)).out) as { ifname: string; addr_info: { family: string }[] }[];
      assert.deepEqual(links.find((l) => l.ifname === 'eth0')!.addr_info.find((a) => a.family === 'inet'), ETH0_INET);
    });
  }

  for (const line of ['ip -4 -j a', 'ip -j -4 addr show', 'ip -family inet -j a']) {
    it(`${line}: IPv4 addresses only`, async () => {
      const links = JSON.parse((await run(line)).out) as { ifname: string; addr_info: { family: string }[] }[];
      assert.deepEqual(links.map((l) => [l.ifname, l.addr_info.map((a) => a.family)]), [['lo', ['inet']], ['eth0', ['inet']]]);
    });
  }

  it('ip -6 a and ip -6 r: the link-local side', async () => {
    assert.doesNotMatch((await run('ip -6 a')).out, /inet /);
    assert.equal((await run('ip -6 r')).out, 'fe80::/64 dev eth0 proto kernel metric 1024 pref medium\n');
  });

  it('-d adds the link details, in JSON and text; on routes the type and scope', async () => {
    const [, eth0] = JSON.parse((await run('ip -j -d a')).out) as Record<string, unknown>[];
    assert.equal(eth0!.min_mtu, 68);
    assert.equal(eth0!.max_mtu, 65535);
    assert.equal(eth0!.parentbus, 'virtio');
    assert.match((await run('ip -d a show eth0')).out, /link\/ether 0a:58:cb:cb:00:04 brd ff:ff:ff:ff:ff:ff promiscuity 0 allmulti 0 minmtu 68 maxmtu 65535 /);
    assert.deepEqual((JSON.parse((await run('ip -d -j r')).out) as { type: string; scope: string }[]).map((r) => [r.type, r.scope]), [['unicast', 'global'], ['unicast', 'link']]);
    assert.match((await run('ip -d r')).out, /^unicast default via 203\.203\.0\.1 dev eth0 proto dhcp scope global src 203\.203\.0\.4 metric 100 $/m);
  });

  it('-j -p pretty-prints; ip -j r and ip -j link agree with the rest', async () => {
    const pretty = (await run('ip -j -p r')).out;
    assert.ok(pretty.split('\n').length > 5);
    assert.deepEqual(JSON.parse(pretty), JSON.parse((await run('ip -j r')).out));
    const links = JSON.parse((await run('ip -j link')).out) as Record<string, unknown>[];
    assert.deepEqual(links.map((l) => [l.ifname, l.mtu, 'addr_info' in l]), [['lo', 65536, false], ['eth0', 1400, false]]);
  });

  it('errors as ip reports them', async () => {
    assert.deepEqual(await run('ip -x a'), { out: '', err: 'Option "-x" is unknown, try "ip -help".\n', status: 255 });
    assert.deepEqual(await run('ip foo'), { out: '', err: 'Object "foo" is unknown, try "ip help".\n', status: 255 });
    assert.deepEqual(await run('ip a frob'), { out: '', err: 'Command "frob" is unknown, try "ip address help".\n', status: 255 });
    assert.deepEqual(await run('ip a show eth9'), { out: '', err: 'Device "eth9" does not exist.\n', status: 1 });
    assert.deepEqual(await run('ip r show dev eth9'), { out: '', err: 'Cannot find device "eth9"\n', status: 1 });
  });

  it('a guest not on any network yet has lo and no routes', async () => {
    assert.deepEqual((JSON.parse((await run('ip -j a', null)).out) as { ifname: string }[]).map((l) => l.ifname), ['lo']);
    assert.equal((await run('ip -j r', null)).out, '[]\n');
  });
});

describe('the guest tools show who answered', () => {
  // A host beside the node that happens to use blue's 192.168.0.0/16: green's traffic to blue's
  // address is routed out of the cluster and finds it.
  const labPrinter: OutsideHost = { ip: '192.168.0.3', name: 'lab-printer', listening: [{ port: 80, body: 'lab-printer status page\n' }, { port: 8080 }] };
  const vmB = greenVm('vm-b', '203.203.0.5');
  const webserver: Endpoint = { ...greenVm('webserver', '203.203.0.3'), kind: 'Pod', listening: [{ port: 9000, hostname: 'webserver' }] };
  const hazard = guests(() => worldOf([vmA, vmB, webserver], { outside: [labPrinter] }))('vm-a');
  const curl = (url: string) => `curl -sS --connect-timeout 1 -w '\\nhttp_code=%{http_code}\\n' ${url}`;

  it("curl of blue's address answers with the outside host's own page, not an agnhost hostname", async () => {
    assert.deepEqual(await shell(hazard, curl('http://192.168.0.3/hostname')), { out: 'lab-printer status page\n\nhttp_code=200\n', err: '', status: 0 });
    assert.match((await shell(hazard, curl('http://192.168.0.3:8080/'))).out, /<title>lab-printer<\/title>/, 'a host without a page of its own serves one that names it');
  });

  it('the webserver in the cluster answers /hostname with its own name', async () => {
    assert.equal((await shell(hazard, curl('http://203.203.0.3:9000/hostname'))).out, 'webserver\nhttp_code=200\n');
  });

  it("ping: the outside host's replies come back through two routers (ttl 62), a neighbour's directly (ttl 64)", async () => {
    assert.match((await shell(hazard, 'ping -c 1 192.168.0.3')).out, /^64 bytes from 192\.168\.0\.3: icmp_seq=1 ttl=62 time=\d+\.\d+ ms$/m);
    assert.match((await shell(hazard, 'ping -c 1 203.203.0.5')).out, /^64 bytes from 203\.203\.0\.5: icmp_seq=1 ttl=64 time=0\.\d+ ms$/m);
  });

  it('with nobody outside holding the address, the same curl times out', async () => {
    const isolated = guests(() => worldOf([vmA, vmB]))('vm-a');
    const r = await shell(isolated, curl('http://192.168.0.3/hostname'));
    assert.equal(r.status, 28);
    assert.match(r.err, /^curl: \(28\) Connection timed out after \d+ milliseconds\n$/);
  });
});

describe('iperf3 when the data plane resets its connection (tcpResetOnMigration)', () => {
  /** vm-a sends to vm-b's one-off server; vm-b's connections are reset once the data plane has been asked `resetAt` times. */
  function lab(resetAt: number): (name: string) => Guest {
    let asked = 0;
    let guest: (name: string) => Guest = () => assert.fail('not booted');
    const world = () => {
      asked++;
      const listening = [...guest('vm-b').servers.keys()].map((port) => ({ port }));
      return worldOf([vmA, { ...greenVm('vm-b', '203.203.0.5'), listening, tcpResets: asked > resetAt ? 1 : 0 }]);
    };
    guest = guests(world);
    return guest;
  }

  it('text: the intervals so far, then iperf3\'s reset error, exit 1; the one-off server is gone', async () => {
    const guest = lab(20);
    await shell(guest('vm-b'), 'iperf3 -s -p 5201 -1 -D');
    const r = await shell(guest('vm-a'), 'iperf3 -c 203.203.0.5 -p 5201 -t 100 -i 1');
    assert.equal(r.status, 1);
    assert.match(r.out, /^Connecting to host 203\.203\.0\.5, port 5201\n/);
    assert.match(r.out, /^\[ {2}5\] {3}0\.00-1\.00 {3}sec/m, 'some intervals ran before the reset');
    assert.doesNotMatch(r.out, /99\.00-100\.00/, 'not all of them');
    assert.equal(r.err, 'iperf3: error - unable to receive control message: Connection reset by peer\n');
    assert.equal(guest('vm-b').servers.size, 0);
  });

  it("--json: the document's error field says so", async () => {
    const guest = lab(20);
    await shell(guest('vm-b'), 'iperf3 -s -p 5201 -1 -D');
    const r = await shell(guest('vm-a'), 'iperf3 -c 203.203.0.5 -p 5201 -t 100 -i 1 --json');
    const doc = JSON.parse(r.out) as { intervals: unknown[]; error?: string };
    assert.equal(doc.error, 'unable to receive control message: Connection reset by peer');
    assert.ok(doc.intervals.length > 0 && doc.intervals.length < 100, `${doc.intervals.length} intervals`);
  });

  it('without a reset the same run completes', async () => {
    const guest = lab(Infinity);
    await shell(guest('vm-b'), 'iperf3 -s -p 5201 -1 -D');
    const r = await shell(guest('vm-a'), 'iperf3 -c 203.203.0.5 -p 5201 -t 3 -i 1');
    assert.deepEqual([r.status, r.err], [0, '']);
    assert.match(r.out, /iperf Done\.\n$/);
  });
});

describe('curl -o', () => {
  const webserver: Endpoint = { ...greenVm('webserver', '203.203.0.3'), kind: 'Pod', listening: [{ port: 9000, hostname: 'webserver' }] };
  it('sends the body to the file (or nowhere) and only -w to the terminal', async () => {
    const g = guests(() => worldOf([vmA, webserver]))('vm-a');
    assert.equal((await shell(g, "curl -sS -o /dev/null -w '%{http_code}' http://203.203.0.3:9000/hostname")).out, '200');
    assert.equal((await shell(g, 'curl -sS -o /tmp/body http://203.203.0.3:9000/hostname')).out, '');
    assert.equal((await shell(g, 'cat /tmp/body')).out, 'webserver');
  });
});
