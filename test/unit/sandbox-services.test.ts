import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Guest } from '../../src/sandbox/console/guest.ts';
import { runLine } from '../../src/sandbox/console/shell.ts';
import { OUTSIDE_NETWORK, reach, type Endpoint, type World } from '../../src/sandbox/dataplane/reachability.ts';
import type { ServiceRoute } from '../../src/sandbox/dataplane/services.ts';
import { OUTSIDE_HOST, outsideHost } from '../../src/sandbox/outside/host.ts';

// The talk's cluster-wide world: happy-tenant (red, blue) and sad-tenant (green, yellow).
const HAPPY = 'cluster.udn.happy-tenant';
const SAD = 'cluster.udn.sad-tenant';
const vm = (name: string, network: string, ip: string, listening: Endpoint['listening'] = []): Endpoint => ({
  namespace: `${name}-namespace`,
  name,
  kind: 'VirtualMachineInstance',
  labels: {},
  network,
  ip,
  node: 'ovn-worker',
  mtu: 1400,
  migrating: false,
  listening,
});
const red = vm('red', HAPPY, '203.203.0.3', [{ port: 9000 }]);
const blue = vm('blue', HAPPY, '203.203.0.4');
const green = vm('green', SAD, '208.208.0.3');

const webapp = (ingressIPs: string[] = ['192.168.10.0'], backends = [{ ip: red.ip, port: 9000 }]): ServiceRoute => ({
  namespace: 'red-namespace',
  name: 'webapp',
  network: HAPPY,
  clusterIPs: ['10.96.20.30'],
  ingressIPs,
  ports: [{ protocol: 'TCP', port: 9000, nodePort: 31234, backends }],
});

function world(extra: Partial<World> = {}): World {
  return {
    endpoints: [red, blue, green],
    policies: [],
    namespaceLabels: () => ({}),
    subnets: { [HAPPY]: ['203.203.0.0/16'], [SAD]: ['208.208.0.0/16'] },
    nodeAddresses: { 'ovn-control-plane': '172.18.0.2', 'ovn-worker': '172.18.0.3', 'ovn-worker2': '172.18.0.4' },
    egress: true,
    networksJoined: false,
    outside: [],
    services: [webapp()],
    ...extra,
  };
}

describe('services on primary CUDNs: load balancers live on their network only', () => {
  it('blue (same network) reaches red through the ClusterIP, at red\'s UDN address and target port', () => {
    const o = reach(world(), blue, '10.96.20.30', 'TCP', 9000);
    assert.equal(o.kind, 'reached');
    assert.deepEqual(o.kind === 'reached' && [o.answeredBy, o.port, o.source], ['red-namespace/red', 9000, blue.ip]);
  });

  it('green (another network) gets nothing: its switch has no load balancer for it, and the VIP is routed out to nobody', () => {
    const o = reach(world(), green, '10.96.20.30', 'TCP', 9000);
    assert.equal(o.kind, 'dropped');
    assert.match(o.reason, /nothing outside the cluster answers for 10\.96\.20\.30/);
  });

  it('a port the service does not expose, and ICMP, are not load-balanced', () => {
    assert.equal(reach(world(), blue, '10.96.20.30', 'TCP', 8080).kind, 'dropped');
    assert.equal(reach(world(), blue, '10.96.20.30', 'ICMP').kind, 'dropped');
  });

  it('a service without ready endpoints rejects (OVN-Kubernetes sets reject on its load balancers)', () => {
    const o = reach(world({ services: [webapp(['192.168.10.0'], [])] }), blue, '10.96.20.30', 'TCP', 9000);
    assert.equal(o.kind, 'refused');
  });

  it('cudnLeak: the cluster router joins the CUDNs, so red pings green (one router hop); without it, nothing', () => {
    assert.equal(reach(world(), red, green.ip, 'ICMP').kind, 'dropped');
    const o = reach(world({ leaking: [HAPPY, SAD] }), red, green.ip, 'ICMP');
    assert.equal(o.kind, 'reached');
    assert.equal(o.kind === 'reached' && o.ttl, 63);
    // A leak between the CUDNs leaves the service where it was: green still has no load balancer for it.
    assert.equal(reach(world({ leaking: [HAPPY, SAD] }), green, '10.96.20.30', 'TCP', 9000).kind, 'dropped');
  });
});

describe('the outside host (kind.sh\'s client container)', () => {
  const outside = OUTSIDE_HOST;

  it('reaches red through any node\'s InternalIP and the node port, SNATed to that node', () => {
    for (const node of ['172.18.0.2', '172.18.0.3', '172.18.0.4']) {
      const o = reach(world(), outside, node, 'TCP', 31234);
      assert.equal(o.kind, 'reached', node);
      assert.deepEqual(o.kind === 'reached' && [o.answeredBy, o.source], ['red-namespace/red', node]);
    }
  });

  it('reaches red through MetalLB\'s ingress address and the service port', () => {
    const o = reach(world(), outside, '192.168.10.0', 'TCP', 9000);
    assert.equal(o.kind, 'reached');
  });

  it('without an ingress address (metallbNoAddress) the pool\'s first address has nobody behind it', () => {
    assert.equal(reach(world({ services: [webapp([])] }), outside, '192.168.10.0', 'TCP', 9000).kind, 'dropped');
  });

  it('does not reach ClusterIPs or UDN addresses; a node answers ping and refuses ports it does not serve', () => {
    assert.equal(reach(world(), outside, '10.96.20.30', 'TCP', 9000).kind, 'dropped');
    assert.equal(reach(world(), outside, red.ip, 'TCP', 9000).kind, 'dropped');
    assert.equal(reach(world(), outside, '172.18.0.3', 'ICMP').kind, 'reached');
    assert.equal(reach(world(), outside, '172.18.0.3', 'TCP', 9000).kind, 'refused');
    assert.equal(outside.network, OUTSIDE_NETWORK);
  });
});

/** A logged-in guest of red in the world above, and the outside host, sharing red as peer. */
function talk(): { red: Guest; line: (g: Guest, l: string) => Promise<{ out: string; status: number }>; outside: ReturnType<typeof outsideHost> } {
  // red listens on 9000 while its guest's http.server runs (the registry's part in the sandbox).
  const w = () => world({ endpoints: [{ ...red, listening: guest.http.has(9000) ? [{ port: 9000 }] : [] }, blue, green] });
  const guest: Guest = new Guest('red', { user: 'fedora', password: 'fedora' }, { self: () => w().endpoints.find((e) => e.name === 'red'), world: w, second: 0, peer: (_ns, name) => (name === 'red' ? guest : undefined) });
  guest.user = 'fedora';
  const line = async (g: Guest, l: string) => {
    let out = '';
    await runLine(l, g, { out: (x) => (out += x), err: (x) => (out += x), signal: new AbortController().signal });
    return { out, status: g.lastStatus };
  };
  return { red: guest, line, outside: outsideHost({ world: w, second: 0, peer: guest.ctx.peer }) };
}

describe('python3 -m http.server in the guest', () => {
  it('runs in the background, serves the home directory\'s listing (404 elsewhere), and stops on kill', async () => {
    const { red: g, line, outside } = talk();
    const started = await line(g, 'python3 -m http.server --bind 203.203.0.3 9000 > /tmp/http.log 2>&1 & echo $!');
    const pid = started.out.trim().split('\n').at(-1)!;
    const listing = await outside(['curl', '-sS', 'http://192.168.10.0:9000'], new AbortController().signal);
    assert.equal(listing.exitCode, 0);
    assert.equal(
      listing.stdout,
      '<!DOCTYPE HTML>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Directory listing for /</title>\n</head>\n<body>\n<h1>Directory listing for /</h1>\n<hr>\n<ul>\n' +
        '<li><a href=".bash_logout">.bash_logout</a></li>\n<li><a href=".bash_profile">.bash_profile</a></li>\n<li><a href=".bashrc">.bashrc</a></li>\n<li><a href=".ssh/">.ssh/</a></li>\n' +
        '</ul>\n<hr>\n</body>\n</html>\n',
    );
    const missing = await outside(['curl', '-sS', '-w', '%{http_code}', 'http://172.18.0.3:31234/secret'], new AbortController().signal);
    assert.match(missing.stdout, /<p>Message: File not found\.<\/p>[\s\S]*404$/);
    const log = g.files.get('/tmp/http.log') ?? '';
    assert.match(log, /^Serving HTTP on 203\.203\.0\.3 port 9000 \(http:\/\/203\.203\.0\.3:9000\/\) \.\.\.\n/);
    assert.match(log, /172\.18\.0\.2 - - \[\d\d\/\w{3}\/\d{4} \d\d:\d\d:\d\d\] "GET \/ HTTP\/1\.1" 200 -\n/);
    assert.match(log, /code 404, message File not found\n.*"GET \/secret HTTP\/1\.1" 404 -\n/);

    assert.equal((await line(g, `kill -0 ${pid}`)).status, 0);
    assert.equal((await line(g, `kill ${pid}`)).status, 0);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(await line(g, `kill -0 ${pid}`), { out: `bash: kill: (${pid}) - No such process\n`, status: 1 });
    assert.equal((await outside(['curl', '-sS', 'http://192.168.10.0:9000'], new AbortController().signal)).exitCode, 7);
  });

  it('fails as python does for an address the guest does not hold, and for a port in use', async () => {
    const { red: g, line } = talk();
    const foreign = await line(g, 'python3 -m http.server --bind 203.203.0.99 9000');
    assert.equal(foreign.status, 1);
    assert.match(foreign.out, /^Traceback \(most recent call last\):\n[\s\S]*OSError: \[Errno 99\] Cannot assign requested address\n$/);
    await line(g, 'python3 -m http.server 9000 > /dev/null 2>&1 &');
    const busy = await line(g, 'python3 -m http.server 9000');
    assert.match(busy.out, /OSError: \[Errno 98\] Address already in use\n$/);
  });

  it('the outside host runs argv only for the tools its image has', async () => {
    const { outside } = talk();
    const r = await outside(['python3', '-m', 'http.server'], new AbortController().signal);
    assert.equal(r.exitCode, 127);
    assert.match(r.stderr, /exec: "python3": executable file not found in \$PATH/);
  });
});
