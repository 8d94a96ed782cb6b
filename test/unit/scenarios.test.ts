import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { guestNetworkCheck } from '../../src/analysis/guest-network.ts';
import { sourceName, targetName } from '../../src/model/probe.ts';
import { configSchema } from '../../src/config/schema.ts';
import { expectedProbes } from '../../src/scenarios/expected-probes.ts';
import { CHECK_IDS, STEP_IDS } from '../../src/scenarios/index.ts';
import { NAMESPACE_ISOLATION } from '../../src/scenarios/namespace-isolation.ts';
import { CLUSTER_WIDE } from '../../src/scenarios/cluster-wide.ts';
import { scenarioOf } from '../../src/scenarios/compose.ts';
import { namespaceIsolation } from '../../src/scenarios/namespace-isolation-config.ts';
import { mayReach, stateAt, type ModelState } from '../../src/scenarios/network-model.ts';
import type { Scenario, StepDef } from '../../src/scenarios/types.ts';

const table = NAMESPACE_ISOLATION as Scenario;
const step = (s: Scenario, id: string): StepDef => s.steps.find((x) => x.id === id)!;

/** Every probe of the table with the verdict the model computes for it, `check: from → to expect [body]`. */
function expectations(s: Scenario): string[] {
  return s.steps.flatMap((st) =>
    (st.checks ?? []).flatMap((c) =>
      expectedProbes(s, st, c).map((p) => `${c.id}: ${sourceName(p.from)} → ${targetName(p.to)}${p.port ? `:${p.port}` : ''} ${p.expect}${p.body ? ` "${p.body}"` : ''}${p.bodyContains ? ` holding "${p.bodyContains}"` : ''}`),
    ),
  );
}

describe('the namespace-isolation table', () => {
  it('keeps the talk’s steps and checks, each id once', () => {
    assert.equal(new Set(STEP_IDS).size, STEP_IDS.length);
    assert.deepEqual(CHECK_IDS.slice(0, 9), ['vm-network-config', 'east-west', 'egress', 'live-migration', 'isolation-blue-to-green', 'isolation-green-to-blue', 'netpol-baseline-9000', 'netpol-blocks-9000', 'netpol-allows-9001']);
    for (const s of table.steps) for (const need of s.needs) assert.ok(STEP_IDS.includes(need as never), `${s.id} needs unknown ${need}`);
  });

  it('computes what the talk shows for every probe: the network model, not the table, says allow or deny, and what answers', () => {
    assert.deepEqual(expectations(table), [
      'east-west: green/vm-a → green/webserver:9000 allow "webserver"',
      'egress: green/vm-a → www.google.com allow',
      'isolation-blue-to-green: blue/vm-a → green/vm-b deny',
      'isolation-green-to-blue: green/vm-a → blue/vm-a deny',
      'netpol-baseline-9000: green/vm-a → green/webserver:9000 allow',
      'netpol-blocks-9000: green/vm-a → green/webserver:9000 deny',
      'netpol-allows-9001: green/vm-a → green/new-webserver:9001 allow "new-webserver"',
    ]);
  });

  it('says why: isolation names both networks, the block names the policy', () => {
    const [isolation] = expectedProbes(table, step(table, 'check-isolation'), step(table, 'check-isolation').checks![0]!);
    assert.equal(isolation!.why, 'isolated: blue/vm-a is on separate-namespace, green/vm-b on namespace-scoped');
    const [blocked] = expectedProbes(table, step(table, 'check-netpol-blocks'), step(table, 'check-netpol-blocks').checks![0]!);
    assert.equal(blocked!.why, 'NetworkPolicy ingress-port-9001-only selects green/webserver and allows no TCP 9000');
  });

  it('sees at each step only what the steps it needs created: no policy before apply-netpol, no blue before apply-blue', () => {
    assert.deepEqual(stateAt(table, step(table, 'check-netpol-baseline')).policies, []);
    assert.deepEqual(stateAt(table, step(table, 'check-east-west')).workloads.map((w) => `${w.namespace}/${w.name}`), ['green/webserver', 'green/vm-a', 'green/vm-b']);
    assert.equal(stateAt(table, step(table, 'check-netpol-blocks')).policies.length, 1);
  });

  it('with a config, uses its namespaces, ports, egress host and migration VMs', () => {
    const cfg = configSchema.parse({ scenario: { green: { namespace: 'red', subnet: '10.1.0.0/16' }, blue: { namespace: 'teal', subnet: '10.2.0.0/16' }, webserverPort: 8000, newWebserverPort: 8001, egressHost: 'example.org', migration: { vm: 'vm-a', client: 'vm-b' } } }).scenario;
    const s = namespaceIsolation(cfg) as Scenario;
    assert.deepEqual(expectations(s), [
      'east-west: red/vm-a → red/webserver:8000 allow "webserver"',
      'egress: red/vm-a → example.org allow',
      'isolation-blue-to-green: teal/vm-a → red/vm-b deny',
      'isolation-green-to-blue: red/vm-a → teal/vm-a deny',
      'netpol-baseline-9000: red/vm-a → red/webserver:8000 allow',
      'netpol-blocks-9000: red/vm-a → red/webserver:8000 deny',
      'netpol-allows-9001: red/vm-a → red/new-webserver:8001 allow "new-webserver"',
    ]);
    assert.deepEqual(step(s, 'live-migration').run, { kind: 'migrate-under-traffic', server: 'red/vm-a', client: 'red/vm-b' });
    assert.equal(s.networks[1]!.subnet, '10.2.0.0/16');
  });
});

describe('mayReach', () => {
  const net = (name: string, namespaces: string[], scope: 'namespace' | 'cluster' = 'namespace') => ({ name, scope, namespaces, topology: 'Layer2' as const, role: 'Primary' as const, subnet: '203.203.0.0/16', mtu: 1400 });
  const vm = (namespace: string, name: string) => ({ namespace, name, kind: 'vm' as const, labels: {} });

  it('a ClusterUserDefinedNetwork joins its namespaces; another one stays apart', () => {
    const state: ModelState = { networks: [net('happy-tenant', ['red', 'blue'], 'cluster'), net('sad-tenant', ['green', 'yellow'], 'cluster')], workloads: [vm('red', 'red'), vm('blue', 'blue'), vm('green', 'green')], policies: [], services: [], serving: [], outside: [] };
    assert.equal(mayReach(state, 'blue/blue', 'red/red', 'icmp').allowed, true);
    assert.equal(mayReach(state, 'red/red', 'green/green', 'icmp').allowed, false);
  });

  it('two namespaces whose UDNs share a name are still two networks', () => {
    const state: ModelState = { networks: [net('namespace-scoped', ['a']), net('namespace-scoped', ['b'])], workloads: [vm('a', 'vm'), vm('b', 'vm')], policies: [], services: [], serving: [], outside: [] };
    assert.equal(mayReach(state, 'a/vm', 'b/vm', 'icmp').allowed, false);
  });

  it('a host the outside world does not hold is not reached; one it holds is, through the gateway', () => {
    const state: ModelState = { networks: [net('n', ['a'])], workloads: [vm('a', 'vm')], policies: [], services: [], serving: [], outside: ['example.org'] };
    assert.equal(mayReach(state, 'a/vm', 'outside:example.org', 'icmp').allowed, true);
    assert.match(mayReach(state, 'a/vm', 'outside:example.org', 'icmp').reason, /gateway and the node \(SNAT\)/);
    assert.equal(mayReach(state, 'a/vm', 'outside:other.org', 'icmp').allowed, false);
  });
});

describe('the vm-network-config verdict', () => {
  const want = { address: '203.203.0.5', subnet: '203.203.0.0/16', mtu: 1400 };
  const seen = (eth0: object, routes: object[]) => ({
    addresses: { command: 'ip -j addr show', output: JSON.stringify([{ ifindex: 1, ifname: 'lo', mtu: 65536, addr_info: [{ family: 'inet', local: '127.0.0.1', prefixlen: 8 }] }, { ifindex: 2, ifname: 'eth0', ...eth0 }]), exitCode: 0 },
    routes: { command: 'ip -j route show', output: JSON.stringify(routes), exitCode: 0 },
  });
  const talkEth0 = { mtu: 1400, addr_info: [{ family: 'inet', local: '203.203.0.5', prefixlen: 16 }, { family: 'inet6', local: 'fe80::1', prefixlen: 64 }] };
  const talkRoutes = [{ dst: 'default', gateway: '203.203.0.1', dev: 'eth0' }, { dst: '203.203.0.0/16', dev: 'eth0', prefsrc: '203.203.0.5' }];

  it('passes on what the talk shows in vm-a, with the observed values and both outputs as evidence', () => {
    const c = guestNetworkCheck('vm-network-config', 'd', want, seen(talkEth0, talkRoutes));
    assert.equal(c.passed, true, c.observed);
    assert.equal(c.expected, 'eth0 holds 203.203.0.5/16; default via 203.203.0.1; mtu 1400');
    assert.equal(c.observed, 'eth0 holds 203.203.0.5/16; default via 203.203.0.1 dev eth0; mtu 1400');
    assert.equal(c.evidence.length, 2);
    assert.match(c.evidence[0]!, /^\$ ip -j addr show\n\[/);
  });

  it('fails on another MTU, prefix, address or gateway, and on output that is not iproute2 JSON', () => {
    assert.equal(guestNetworkCheck('x', 'd', want, seen({ ...talkEth0, mtu: 1500 }, talkRoutes)).passed, false);
    assert.equal(guestNetworkCheck('x', 'd', want, seen({ ...talkEth0, addr_info: [{ family: 'inet', local: '203.203.0.5', prefixlen: 24 }] }, talkRoutes)).passed, false);
    assert.equal(guestNetworkCheck('x', 'd', want, seen({ ...talkEth0, addr_info: [{ family: 'inet', local: '203.203.0.9', prefixlen: 16 }] }, talkRoutes)).passed, false);
    assert.equal(guestNetworkCheck('x', 'd', want, seen(talkEth0, [{ dst: 'default', gateway: '203.203.0.254', dev: 'eth0' }])).passed, false);
    const garbage = guestNetworkCheck('x', 'd', want, { ...seen(talkEth0, talkRoutes), routes: { command: 'ip -j route show', output: 'default via 203.203.0.1 dev eth0', exitCode: 0 } });
    assert.equal(garbage.passed, false);
    assert.match(garbage.observed, /^ip -j route show: not JSON/);
  });
});

describe('the cluster-wide table', () => {
  const table = CLUSTER_WIDE as Scenario;

  it("has the issue's eight checks, in the talk's order, after the first scenario's", () => {
    assert.deepEqual(CHECK_IDS.slice(9), [
      'cudn-happy-east-west',
      'cudn-sad-east-west',
      'cudn-isolation-happy-to-sad',
      'cudn-isolation-sad-to-happy',
      'service-cluster-ip',
      'service-cluster-ip-isolated',
      'service-node-port',
      'service-load-balancer',
    ]);
    for (const s of table.steps) for (const need of s.needs) assert.ok(table.steps.some((x) => x.id === need), `${s.id} needs unknown ${need}`);
  });

  it('computes every verdict from the networks and the Service: each CUDN joins its own namespaces; a ClusterIP answers only its network; outside reaches NodePort and load balancer', () => {
    assert.deepEqual(expectations(table), [
      'cudn-happy-east-west: blue-namespace/blue → red-namespace/red allow',
      'cudn-sad-east-west: yellow-namespace/yellow → green-namespace/green allow',
      'cudn-isolation-happy-to-sad: red-namespace/red → green-namespace/green deny',
      'cudn-isolation-sad-to-happy: green-namespace/green → red-namespace/red deny',
      'service-cluster-ip: blue-namespace/blue → red-namespace/webapp via cluster-ip:9000 allow holding "Directory listing for /"',
      'service-cluster-ip-isolated: green-namespace/green → red-namespace/webapp via cluster-ip:9000 deny',
      'service-node-port: outside host → red-namespace/webapp via node-port:9000 allow holding "Directory listing for /"',
      'service-load-balancer: outside client → red-namespace/webapp via load-balancer:9000 allow holding "Directory listing for /"',
    ]);
    const isolated = expectedProbes(table, step(table, 'check-services'), step(table, 'check-services').checks![1]!)[0]!;
    assert.match(isolated.why!, /answers only that network and the nodes: green-namespace\/green is on sad-tenant, red-namespace\/webapp's endpoints on happy-tenant/);
  });

  it('a Service answers only once its web server runs: before serve-webapp, nothing listens', () => {
    const state = stateAt(table, step(table, 'discover-webapp'));
    assert.deepEqual(state.serving, []);
    assert.match(mayReach(state, 'blue-namespace/blue', 'service:red-namespace/webapp', 'http', 9000, 'cluster-ip').reason, /nothing listens on port 9000 of red-namespace\/red/);
  });

  it('a Service selecting nothing has no endpoints, and the outside reaches no workload directly', () => {
    const state = stateAt(table, step(table, 'check-services'));
    const unselected: ModelState = { ...state, services: state.services.map((x) => ({ ...x, selector: { app: 'nobody' } })) };
    assert.match(mayReach(unselected, 'blue-namespace/blue', 'service:red-namespace/webapp', 'http', 9000, 'cluster-ip').reason, /selects no workload/);
    assert.equal(mayReach(state, 'outside:client', 'red-namespace/red', 'tcp', 9000).allowed, false);
    assert.equal(mayReach(state, 'outside:client', 'service:red-namespace/webapp', 'http', 9000, 'cluster-ip').allowed, false);
  });

  it('run together, the two scenarios share one preflight, one cluster and one report, after every check of both', () => {
    const both = scenarioOf(['namespace-isolation', 'cluster-wide'], configSchema.parse({}).scenario);
    const ids = both.steps.map((s) => s.id);
    assert.equal(new Set(ids).size, ids.length);
    assert.deepEqual([ids[0], ids[1], ids.at(-1)], ['preflight', 'ensure-cluster', 'report']);
    assert.equal(ids.length, NAMESPACE_ISOLATION.steps.length + CLUSTER_WIDE.steps.length - 3);
    const report = both.steps.at(-1)!;
    for (const s of both.steps) if (s.checks) assert.ok(report.needs.includes(s.id), `report waits for ${s.id}`);
    assert.equal(expectations(both).length, 7 + 8, 'every probe of both tables, vm-network-config having none');
  });
});
