import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { V1LabelSelector, V1NetworkPolicy, V1NetworkPolicyIngressRule } from '@kubernetes/client-node';
import { resolveName, type OutsideHost } from '../../src/sandbox/dataplane/internet.ts';
import { reach, type Endpoint, type Outcome, type World } from '../../src/sandbox/dataplane/reachability.ts';
import { ingressDecision, type PolicySubject, type Protocol } from '../../src/sandbox/dataplane/netpol.ts';
import { ipInCidr, selectorMatches, type Labels } from '../../src/sandbox/dataplane/selectors.ts';

// ---------------------------------------------------------------------------------------------
// The talk's world: green and blue, each on its own primary UDN.
// ---------------------------------------------------------------------------------------------

const GREEN_NET = 'green/namespace-scoped';
const BLUE_NET = 'blue/separate-namespace';
const VM_LABEL = 'kubevirt.io/vm';

const NAMESPACE_LABELS: Record<string, Labels> = {
  green: { 'kubernetes.io/metadata.name': 'green', 'k8s.ovn.org/primary-user-defined-network': '', team: 'frontend' },
  blue: { 'kubernetes.io/metadata.name': 'blue', 'k8s.ovn.org/primary-user-defined-network': '', team: 'backend' },
  red: { 'kubernetes.io/metadata.name': 'red', team: 'frontend' },
  yellow: { 'kubernetes.io/metadata.name': 'yellow', team: 'backend' },
};
const namespaceLabels = (ns: string): Labels => NAMESPACE_LABELS[ns] ?? {};

function pod(namespace: string, name: string, network: string, ip: string, listening: Endpoint['listening'], labels: Labels = { app: name }): Endpoint {
  return { namespace, name, kind: 'Pod', labels, network, ip, node: 'ovn-worker', mtu: 1400, migrating: false, listening };
}
function vm(namespace: string, name: string, network: string, ip: string, listening: Endpoint['listening'] = []): Endpoint {
  return { namespace, name, kind: 'VirtualMachineInstance', labels: { [VM_LABEL]: name }, network, ip, node: 'ovn-worker2', mtu: 1400, migrating: false, listening };
}

const webserver = pod('green', 'webserver', GREEN_NET, '203.203.0.3', [{ port: 9000, hostname: 'webserver' }]);
const newWebserver = pod('green', 'new-webserver', GREEN_NET, '203.203.0.6', [{ port: 9001, hostname: 'new-webserver' }]);
const greenVmA = vm('green', 'vm-a', GREEN_NET, '203.203.0.4', [{ port: 5201 }]);
const greenVmB = vm('green', 'vm-b', GREEN_NET, '203.203.0.5', [{ port: 5201 }]);
const blueVmA = vm('blue', 'vm-a', BLUE_NET, '192.168.0.3', [{ port: 5201 }]);
const blueVmB = vm('blue', 'vm-b', BLUE_NET, '192.168.0.4', [{ port: 5201 }]);

const TALK_SUBNETS = { default: ['10.244.0.0/16'], [GREEN_NET]: ['203.203.0.0/16'], [BLUE_NET]: ['192.168.0.0/16'] };
const NODE_ADDRESSES = { 'ovn-worker': '172.18.0.3', 'ovn-worker2': '172.18.0.4' };

function world(overrides: Partial<World> = {}): World {
  return {
    endpoints: [webserver, newWebserver, greenVmA, greenVmB, blueVmA, blueVmB],
    policies: [],
    namespaceLabels,
    subnets: TALK_SUBNETS,
    nodeAddresses: NODE_ADDRESSES,
    egress: true,
    networksJoined: false,
    outside: [],
    ...overrides,
  };
}

// The OVERLAPPING world: blue's UDN uses the very same subnet as green's.
const OVERLAP_NET = 'blue/overlapping';
const blueOverlapWeb = pod('blue', 'blue-web', OVERLAP_NET, '203.203.0.3', [{ port: 9100, hostname: 'blue-web' }]);
const blueOverlapVmA = vm('blue', 'vm-a', OVERLAP_NET, '203.203.0.4', [{ port: 5201 }]);
const blueOverlapOnly = vm('blue', 'vm-only-blue', OVERLAP_NET, '203.203.0.8', [{ port: 5201 }]);
const overlapWorld: World = {
  endpoints: [webserver, newWebserver, greenVmA, greenVmB, blueOverlapWeb, blueOverlapVmA, blueOverlapOnly],
  policies: [],
  namespaceLabels,
  subnets: { [GREEN_NET]: ['203.203.0.0/16'], [OVERLAP_NET]: ['203.203.0.0/16'] },
  nodeAddresses: NODE_ADDRESSES,
  egress: true,
  networksJoined: false,
  outside: [],
};

// Two namespaces sharing the cluster's default network, for cross-namespace policy peers.
const redClient = pod('red', 'client', 'default', '10.244.1.10', [], { app: 'client', role: 'client' });
const redServer = pod('red', 'server', 'default', '10.244.1.11', [{ port: 8080, hostname: 'server' }], { app: 'server' });
const yellowClient = pod('yellow', 'client', 'default', '10.244.2.10', [], { app: 'client', role: 'client' });
const yellowOther = pod('yellow', 'other', 'default', '10.244.2.11', [], { app: 'other' });

function policy(namespace: string, name: string, spec: V1NetworkPolicy['spec']): V1NetworkPolicy {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { namespace, name }, spec };
}

/** The talk's policy: only TCP 9001 may enter anything in green. */
const talkPolicy = policy('green', 'allow-9001', {
  podSelector: {},
  policyTypes: ['Ingress'],
  ingress: [{ ports: [{ protocol: 'TCP', port: 9001 }] }],
});
const blueDenyAll = policy('blue', 'deny-all', { podSelector: {}, policyTypes: ['Ingress'], ingress: [] });
const webserverDenyAll = policy('green', 'webserver-deny-all', {
  podSelector: { matchLabels: { app: 'webserver' } },
  policyTypes: ['Ingress'],
  ingress: [],
});
const egressOnly = policy('green', 'egress-only', { podSelector: {}, policyTypes: ['Egress'], egress: [] });
const portRange = policy('green', 'port-range', {
  podSelector: {},
  policyTypes: ['Ingress'],
  ingress: [{ ports: [{ protocol: 'TCP', port: 9000, endPort: 9001 }] }],
});
const udpOnly = policy('green', 'udp-9000', {
  podSelector: {},
  policyTypes: ['Ingress'],
  ingress: [{ ports: [{ protocol: 'UDP', port: 9000 }] }],
});
const anyTcpPort = policy('green', 'any-tcp', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ ports: [{ protocol: 'TCP' }] }] });
const defaultProtocol = policy('green', 'default-protocol', { podSelector: {}, ingress: [{ ports: [{ port: 9000 }] }] });
const noPolicyTypesEgressRules = policy('green', 'implicit-types', { podSelector: {}, egress: [{}] });
const redFromBackendNamespaces = policy('red', 'from-backend', {
  podSelector: { matchLabels: { app: 'server' } },
  policyTypes: ['Ingress'],
  ingress: [{ _from: [{ namespaceSelector: { matchLabels: { team: 'backend' } } }] }],
});
const redFromOwnClients = policy('red', 'from-own-clients', {
  podSelector: { matchLabels: { app: 'server' } },
  policyTypes: ['Ingress'],
  ingress: [{ _from: [{ podSelector: { matchLabels: { role: 'client' } } }] }],
});

const GOOGLE = resolveName('www.google.com')!;

interface ReachCase {
  name: string;
  world: World;
  from: Endpoint;
  address: string;
  protocol: Protocol;
  port?: number;
  kind: Outcome['kind'];
  /** For reached/refused within the cluster: which endpoint answered. */
  target?: Endpoint;
  reason?: RegExp;
  /** Answered outside the cluster: an outside host, no endpoint. */
  external?: boolean;
}

const reachCases: ReachCase[] = [
  // Same UDN.
  { name: 'green VM pings green VM on the same UDN', world: world(), from: greenVmA, address: '203.203.0.5', protocol: 'ICMP', kind: 'reached', target: greenVmB },
  { name: 'green VM curls the webserver on 9000', world: world(), from: greenVmA, address: '203.203.0.3', protocol: 'TCP', port: 9000, kind: 'reached', target: webserver, reason: /^answered by green\/webserver on green\/namespace-scoped \(on-link\)/ },
  { name: 'green pod reaches a green VM on its listening port', world: world(), from: webserver, address: '203.203.0.5', protocol: 'TCP', port: 5201, kind: 'reached', target: greenVmB },
  { name: 'ICMP reaches a host with no listening ports at all', world: world({ endpoints: [greenVmA, vm('green', 'vm-c', GREEN_NET, '203.203.0.9')] }), from: greenVmA, address: '203.203.0.9', protocol: 'ICMP', kind: 'reached' },
  { name: 'TCP to a port nothing listens on is refused (the host answers)', world: world(), from: greenVmA, address: '203.203.0.3', protocol: 'TCP', port: 9002, kind: 'refused', target: webserver, reason: /nothing listens on green\/webserver port 9002/ },
  { name: "TCP to new-webserver's 9000 is refused: it listens on 9001", world: world(), from: greenVmA, address: '203.203.0.6', protocol: 'TCP', port: 9000, kind: 'refused', target: newWebserver },
  { name: 'blue VM pings blue VM on its own UDN', world: world(), from: blueVmA, address: '192.168.0.4', protocol: 'ICMP', kind: 'reached', target: blueVmB },

  // Different UDNs: off-link, so out through the gateway, where nothing answers for the other tenant's address.
  { name: 'green → blue ICMP is dropped', world: world(), from: greenVmA, address: '192.168.0.3', protocol: 'ICMP', kind: 'dropped', reason: /out through the gateway of green\/namespace-scoped and node ovn-worker2, SNAT to 172\.18\.0\.4; nothing outside the cluster answers for 192\.168\.0\.3$/ },
  { name: 'green → blue TCP to a listening port is dropped', world: world(), from: greenVmA, address: '192.168.0.3', protocol: 'TCP', port: 5201, kind: 'dropped', reason: /nothing outside the cluster answers/ },
  { name: 'blue → green ICMP is dropped', world: world(), from: blueVmA, address: '203.203.0.4', protocol: 'ICMP', kind: 'dropped', reason: /gateway of blue\/separate-namespace .*nothing outside the cluster answers for 203\.203\.0\.4$/ },
  { name: 'blue → green TCP to the webserver is dropped', world: world(), from: blueVmA, address: '203.203.0.3', protocol: 'TCP', port: 9000, kind: 'dropped', reason: /nothing outside the cluster answers/ },
  { name: 'blue → green TCP to a non-listening port is dropped, not refused', world: world(), from: blueVmA, address: '203.203.0.3', protocol: 'TCP', port: 9002, kind: 'dropped' },

  // Overlapping subnets: the same address means a different host on each UDN.
  { name: 'overlap: green reaches its own 203.203.0.3 (not blue\'s)', world: overlapWorld, from: greenVmA, address: '203.203.0.3', protocol: 'TCP', port: 9000, kind: 'reached', target: webserver },
  { name: 'overlap: green cannot reach blue\'s port on the shared address', world: overlapWorld, from: greenVmA, address: '203.203.0.3', protocol: 'TCP', port: 9100, kind: 'refused', target: webserver },
  { name: 'overlap: blue reaches its own 203.203.0.3 (not green\'s)', world: overlapWorld, from: blueOverlapVmA, address: '203.203.0.3', protocol: 'TCP', port: 9100, kind: 'reached', target: blueOverlapWeb },
  { name: 'overlap: blue cannot reach green\'s port on the shared address', world: overlapWorld, from: blueOverlapVmA, address: '203.203.0.3', protocol: 'TCP', port: 9000, kind: 'refused', target: blueOverlapWeb },
  { name: 'overlap: ICMP to the shared address answers from the sender\'s own UDN', world: overlapWorld, from: blueOverlapVmA, address: '203.203.0.3', protocol: 'ICMP', kind: 'reached', target: blueOverlapWeb },
  { name: 'overlap: green → blue-only address is dropped', world: overlapWorld, from: greenVmB, address: '203.203.0.8', protocol: 'ICMP', kind: 'dropped', reason: /^no host 203\.203\.0\.8 on green\/namespace-scoped \(on-link\)$/ },
  { name: 'overlap: blue → green-only address is dropped', world: overlapWorld, from: blueOverlapVmA, address: '203.203.0.6', protocol: 'TCP', port: 9001, kind: 'dropped', reason: /^no host 203\.203\.0\.6 on blue\/overlapping \(on-link\)$/ },

  // The talk's policy in green.
  { name: "the talk's policy: green TCP 9000 is dropped", world: world({ policies: [talkPolicy] }), from: greenVmA, address: '203.203.0.3', protocol: 'TCP', port: 9000, kind: 'dropped', reason: /TCP\/9000 dropped: selected by NetworkPolicy allow-9001/ },
  { name: "the talk's policy: green TCP 9001 is reached", world: world({ policies: [talkPolicy] }), from: greenVmA, address: '203.203.0.6', protocol: 'TCP', port: 9001, kind: 'reached', target: newWebserver, reason: /allowed by NetworkPolicy allow-9001/ },
  { name: "the talk's policy: ICMP within green is dropped", world: world({ policies: [talkPolicy] }), from: greenVmA, address: '203.203.0.5', protocol: 'ICMP', kind: 'dropped', reason: /ICMP dropped/ },
  { name: "the talk's policy: a non-listening port is dropped before it could be refused", world: world({ policies: [talkPolicy] }), from: greenVmA, address: '203.203.0.3', protocol: 'TCP', port: 9002, kind: 'dropped' },
  { name: "the talk's policy: a port-9001 allow still gets refused where nothing listens", world: world({ policies: [talkPolicy] }), from: greenVmA, address: '203.203.0.3', protocol: 'TCP', port: 9001, kind: 'refused', target: webserver },
  { name: "the talk's policy does not touch blue", world: world({ policies: [talkPolicy] }), from: blueVmA, address: '192.168.0.4', protocol: 'ICMP', kind: 'reached', target: blueVmB },

  // A policy in blue does not affect green (and does affect blue).
  { name: 'blue deny-all: green ICMP still reached', world: world({ policies: [blueDenyAll] }), from: greenVmA, address: '203.203.0.5', protocol: 'ICMP', kind: 'reached', target: greenVmB },
  { name: 'blue deny-all: green TCP 9000 still reached', world: world({ policies: [blueDenyAll] }), from: greenVmA, address: '203.203.0.3', protocol: 'TCP', port: 9000, kind: 'reached', target: webserver },
  { name: 'blue deny-all: blue ICMP is dropped', world: world({ policies: [blueDenyAll] }), from: blueVmA, address: '192.168.0.4', protocol: 'ICMP', kind: 'dropped', reason: /deny-all/ },

  // A policy selecting only the webserver.
  { name: 'webserver-only policy: webserver TCP 9000 dropped', world: world({ policies: [webserverDenyAll] }), from: greenVmA, address: '203.203.0.3', protocol: 'TCP', port: 9000, kind: 'dropped', reason: /webserver-deny-all/ },
  { name: 'webserver-only policy: webserver ICMP dropped', world: world({ policies: [webserverDenyAll] }), from: greenVmA, address: '203.203.0.3', protocol: 'ICMP', kind: 'dropped' },
  { name: 'webserver-only policy: vm-b ICMP still reached', world: world({ policies: [webserverDenyAll] }), from: greenVmA, address: '203.203.0.5', protocol: 'ICMP', kind: 'reached', target: greenVmB, reason: /no NetworkPolicy selects/ },
  { name: 'webserver-only policy: vm-b TCP still reached', world: world({ policies: [webserverDenyAll] }), from: greenVmA, address: '203.203.0.5', protocol: 'TCP', port: 5201, kind: 'reached', target: greenVmB },
  { name: 'webserver-only policy: new-webserver still reached', world: world({ policies: [webserverDenyAll] }), from: greenVmA, address: '203.203.0.6', protocol: 'TCP', port: 9001, kind: 'reached', target: newWebserver },

  // policyTypes.
  { name: 'Egress-only policy does not restrict ingress TCP', world: world({ policies: [egressOnly] }), from: greenVmA, address: '203.203.0.3', protocol: 'TCP', port: 9000, kind: 'reached', target: webserver },
  { name: 'Egress-only policy does not restrict ingress ICMP', world: world({ policies: [egressOnly] }), from: greenVmA, address: '203.203.0.5', protocol: 'ICMP', kind: 'reached', target: greenVmB },
  { name: 'no policyTypes: Ingress is implied, so no ingress rules means deny', world: world({ policies: [noPolicyTypesEgressRules] }), from: greenVmA, address: '203.203.0.3', protocol: 'TCP', port: 9000, kind: 'dropped', reason: /implicit-types/ },

  // Port rules.
  { name: 'endPort range: lower bound 9000 reached', world: world({ policies: [portRange] }), from: greenVmA, address: '203.203.0.3', protocol: 'TCP', port: 9000, kind: 'reached', target: webserver },
  { name: 'endPort range: upper bound 9001 reached', world: world({ policies: [portRange] }), from: greenVmA, address: '203.203.0.6', protocol: 'TCP', port: 9001, kind: 'reached', target: newWebserver },
  { name: 'endPort range: 9002 (above) dropped, not refused', world: world({ policies: [portRange] }), from: greenVmA, address: '203.203.0.3', protocol: 'TCP', port: 9002, kind: 'dropped' },
  { name: 'endPort range: 8999 (below) dropped, not refused', world: world({ policies: [portRange] }), from: greenVmA, address: '203.203.0.3', protocol: 'TCP', port: 8999, kind: 'dropped' },
  { name: 'endPort range: 5201 outside the range dropped', world: world({ policies: [portRange] }), from: greenVmA, address: '203.203.0.5', protocol: 'TCP', port: 5201, kind: 'dropped' },
  { name: 'UDP port rule does not allow TCP on the same port', world: world({ policies: [udpOnly] }), from: greenVmA, address: '203.203.0.3', protocol: 'TCP', port: 9000, kind: 'dropped' },
  { name: 'a port rule without a port allows every TCP port', world: world({ policies: [anyTcpPort] }), from: greenVmA, address: '203.203.0.5', protocol: 'TCP', port: 5201, kind: 'reached', target: greenVmB },
  { name: 'a port rule without a port still does not allow ICMP', world: world({ policies: [anyTcpPort] }), from: greenVmA, address: '203.203.0.5', protocol: 'ICMP', kind: 'dropped' },
  { name: 'a port rule without protocol means TCP: 9000 reached', world: world({ policies: [defaultProtocol] }), from: greenVmA, address: '203.203.0.3', protocol: 'TCP', port: 9000, kind: 'reached', target: webserver },

  // Cross-namespace peers, on the shared cluster network.
  { name: 'default network: namespaceSelector peer admits a backend namespace', world: world({ endpoints: [redClient, redServer, yellowClient, yellowOther], policies: [redFromBackendNamespaces] }), from: yellowOther, address: '10.244.1.11', protocol: 'TCP', port: 8080, kind: 'reached', target: redServer },
  { name: 'default network: namespaceSelector peer refuses the policy\'s own frontend namespace', world: world({ endpoints: [redClient, redServer, yellowClient, yellowOther], policies: [redFromBackendNamespaces] }), from: redClient, address: '10.244.1.11', protocol: 'TCP', port: 8080, kind: 'dropped' },
  { name: 'default network: podSelector-only peer admits a matching pod in the same namespace', world: world({ endpoints: [redClient, redServer, yellowClient, yellowOther], policies: [redFromOwnClients] }), from: redClient, address: '10.244.1.11', protocol: 'TCP', port: 8080, kind: 'reached', target: redServer },
  { name: 'default network: podSelector-only peer ignores a matching pod in another namespace', world: world({ endpoints: [redClient, redServer, yellowClient, yellowOther], policies: [redFromOwnClients] }), from: yellowClient, address: '10.244.1.11', protocol: 'TCP', port: 8080, kind: 'dropped' },

  // Leaving the cluster.
  { name: 'egress on: a public address is reached through the gateway', world: world({ egress: true }), from: greenVmA, address: GOOGLE, protocol: 'TCP', port: 443, kind: 'reached', external: true, reason: /^answered by outside host 198\.\d+\.\d+\.\d+ \(internet\); off-link: out through the gateway of green\/namespace-scoped and node ovn-worker2, SNAT to 172\.18\.0\.4$/ },
  { name: 'egress on: ICMP to a public address is reached', world: world({ egress: true }), from: blueVmA, address: GOOGLE, protocol: 'ICMP', kind: 'reached', external: true },
  { name: 'egress off: a public address is dropped', world: world({ egress: false }), from: greenVmA, address: GOOGLE, protocol: 'TCP', port: 443, kind: 'dropped', reason: /off-link; the gateway of green\/namespace-scoped drops traffic leaving the cluster \(egress disabled\)/ },
  { name: 'egress on: a private address (10.1.2.3) is dropped', world: world({ egress: true }), from: greenVmA, address: '10.1.2.3', protocol: 'TCP', port: 80, kind: 'dropped', reason: /nothing outside the cluster answers for 10\.1\.2\.3$/ },
  { name: 'egress on: 172.16.5.5 (private) is dropped', world: world({ egress: true }), from: greenVmA, address: '172.16.5.5', protocol: 'ICMP', kind: 'dropped' },
  { name: 'egress on: an unassigned address in green\'s own (public-range) subnet is dropped', world: world({ egress: true }), from: greenVmA, address: '203.203.0.99', protocol: 'ICMP', kind: 'dropped', reason: /no host 203\.203\.0\.99 on green\/namespace-scoped/ },
  { name: 'egress on: an unassigned address in blue\'s own subnet is dropped', world: world({ egress: true }), from: blueVmA, address: '192.168.7.7', protocol: 'TCP', port: 80, kind: 'dropped', reason: /no host 192\.168\.7\.7/ },

  // Routing, not rules: an off-link address reaches whatever outside the cluster holds it, or nothing.
  { name: 'egress on: the well-known resolver 8.8.8.8 answers', world: world(), from: greenVmA, address: '8.8.8.8', protocol: 'ICMP', kind: 'reached', external: true, reason: /^answered by outside host 8\.8\.8\.8 \(dns\.google\)/ },
  { name: 'egress on: a public address nobody outside holds is dropped', world: world(), from: greenVmA, address: '93.184.216.34', protocol: 'ICMP', kind: 'dropped', reason: /nothing outside the cluster answers for 93\.184\.216\.34$/ },
  { name: 'egress on: a port the internet host does not serve is refused by that host', world: world(), from: greenVmA, address: GOOGLE, protocol: 'TCP', port: 5201, kind: 'refused', external: true, reason: /^nothing listens on outside host 198\.\d+\.\d+\.\d+ \(internet\) port 5201/ },
  { name: 'egress off: a host outside is not reached either', world: world({ egress: false, outside: [{ ip: '192.168.0.3', name: 'rogue', listening: [] }] }), from: greenVmA, address: '192.168.0.3', protocol: 'ICMP', kind: 'dropped', reason: /egress disabled/ },
  { name: 'an outside host on an on-link address is never asked: the sender looks on its own network', world: world({ outside: [{ ip: '203.203.0.99', name: 'shadowed', listening: [] }] }), from: greenVmA, address: '203.203.0.99', protocol: 'ICMP', kind: 'dropped', reason: /^no host 203\.203\.0\.99 on green\/namespace-scoped \(on-link\)$/ },

  // isolationLeak: the cluster router joins the primary networks.
  { name: 'networks joined: blue → green ICMP is routed and answered by green vm-a', world: world({ networksJoined: true }), from: blueVmA, address: '203.203.0.4', protocol: 'ICMP', kind: 'reached', target: greenVmA, reason: /^answered by green\/vm-a on green\/namespace-scoped \(routed from blue\/separate-namespace by the cluster router\)/ },
  { name: 'networks joined: green → blue TCP reaches blue vm-a\'s listening port', world: world({ networksJoined: true }), from: greenVmA, address: '192.168.0.3', protocol: 'TCP', port: 5201, kind: 'reached', target: blueVmA },
  { name: 'networks joined: the target\'s policies still apply', world: world({ networksJoined: true, policies: [blueDenyAll] }), from: greenVmA, address: '192.168.0.3', protocol: 'ICMP', kind: 'dropped', reason: /deny-all/ },
  { name: 'networks joined: an overlapping subnet stays on-link, so the other tenant\'s address is still unseen', world: { ...overlapWorld, networksJoined: true }, from: greenVmB, address: '203.203.0.8', protocol: 'ICMP', kind: 'dropped', reason: /^no host 203\.203\.0\.8 on green\/namespace-scoped \(on-link\)$/ },
  { name: 'networks joined, egress off: what no network holds still stops at the gateway', world: world({ networksJoined: true, egress: false }), from: greenVmA, address: GOOGLE, protocol: 'ICMP', kind: 'dropped', reason: /egress disabled/ },
];

describe('emulated OVN-Kubernetes data plane: reach', () => {
  for (const c of reachCases) {
    it(`${c.name} → ${c.kind}`, () => {
      const out = reach(c.world, c.from, c.address, c.protocol, c.port);
      assert.equal(out.kind, c.kind, `reason: ${out.reason}`);
      if (c.reason) assert.match(out.reason, c.reason);
      if (c.target) {
        assert.ok(out.kind !== 'dropped', 'a dropped flow has no target');
        assert.equal(out.target, c.target);
      }
      if (c.external) {
        assert.ok(out.kind !== 'dropped' && out.outside, 'a host outside the cluster answered');
        assert.equal(out.target, undefined, 'outside the cluster there is no endpoint');
      }
    });
  }
});

describe('the real-cluster hazard: an address routed out of the cluster is answered by whoever holds it outside', () => {
  // Someone outside (a lab network beside the node) happens to use blue's 192.168.0.0/16.
  const labPrinter: OutsideHost = { ip: '192.168.0.3', name: 'lab-printer', listening: [{ port: 80, body: 'printer status\n' }] };
  const hazard = world({ outside: [labPrinter] });

  it("green vm-a's ping of blue vm-a's address is answered by the outside host, from the node's address", () => {
    const out = reach(hazard, greenVmA, '192.168.0.3', 'ICMP');
    assert.equal(out.kind, 'reached', out.reason);
    assert.equal(out.kind === 'reached' && out.answeredBy, 'outside host 192.168.0.3 (lab-printer)');
    assert.equal(out.kind === 'reached' && out.outside, labPrinter);
    assert.equal(out.kind === 'reached' && out.target, undefined, 'not blue vm-a');
    assert.equal(out.kind === 'reached' && out.source, '172.18.0.4', "SNAT: the host sees vm-a's node, not vm-a");
    assert.equal(out.kind === 'reached' && out.ttl, 62, 'two routers on the way back: the node and the gateway router');
    assert.match(out.reason, /^answered by outside host 192\.168\.0\.3 \(lab-printer\); off-link: out through the gateway of green\/namespace-scoped and node ovn-worker2, SNAT to 172\.18\.0\.4$/);
  });

  it('TCP: its open port accepts, a closed one resets, both named in the reason', () => {
    const open = reach(hazard, greenVmA, '192.168.0.3', 'TCP', 80);
    const closed = reach(hazard, greenVmA, '192.168.0.3', 'TCP', 5201);
    assert.deepEqual([open.kind, closed.kind], ['reached', 'refused']);
    assert.match(closed.reason, /^nothing listens on outside host 192\.168\.0\.3 \(lab-printer\) port 5201/);
  });

  it('blue still reaches its own vm-a on that address: on-link is looked up on the own network only', () => {
    const out = reach(hazard, blueVmB, '192.168.0.3', 'ICMP');
    assert.equal(out.kind === 'reached' && out.answeredBy, 'blue/vm-a');
    assert.equal(out.kind === 'reached' && out.source, '192.168.0.4', 'no SNAT on-link');
    assert.equal(out.kind === 'reached' && out.ttl, 64);
  });
});

// ---------------------------------------------------------------------------------------------
// ingressDecision directly: peers, rules, policies combined.
// ---------------------------------------------------------------------------------------------

const dstWeb: PolicySubject = { namespace: 'green', labels: { app: 'webserver' }, ip: '203.203.0.3' };
const greenClient: PolicySubject = { namespace: 'green', labels: { role: 'client' }, ip: '203.203.0.4' };
const greenOther: PolicySubject = { namespace: 'green', labels: { role: 'other' }, ip: '203.203.0.5' };
const blueClient: PolicySubject = { namespace: 'blue', labels: { role: 'client' }, ip: '192.168.0.3' };
const blueOther: PolicySubject = { namespace: 'blue', labels: { role: 'other' }, ip: '192.168.1.7' };
const unlabelledNsClient: PolicySubject = { namespace: 'nolabels', labels: { role: 'client' }, ip: '10.0.0.9' };

function webPolicy(name: string, ingress: V1NetworkPolicyIngressRule[], namespace = 'green', podSelector: V1LabelSelector = { matchLabels: { app: 'webserver' } }): V1NetworkPolicy {
  return policy(namespace, name, { podSelector, policyTypes: ['Ingress'], ingress });
}

const fromClients = webPolicy('from-clients', [{ _from: [{ podSelector: { matchLabels: { role: 'client' } } }], ports: [{ protocol: 'TCP', port: 9000 }] }]);
const fromBackendNs = webPolicy('from-backend-ns', [{ _from: [{ namespaceSelector: { matchLabels: { team: 'backend' } } }] }]);
const fromAnyNs = webPolicy('from-any-ns', [{ _from: [{ namespaceSelector: {} }] }]);
const fromBackendClients = webPolicy('from-backend-clients', [{ _from: [{ namespaceSelector: { matchLabels: { team: 'backend' } }, podSelector: { matchLabels: { role: 'client' } } }] }]);
const fromIpBlock = webPolicy('from-ipblock', [{ _from: [{ ipBlock: { cidr: '192.168.0.0/16', except: ['192.168.1.0/24'] } }] }]);
const twoPeers = webPolicy('two-peers', [{ _from: [{ ipBlock: { cidr: '192.168.0.3/32' } }, { podSelector: { matchLabels: { role: 'client' } } }] }]);
const twoRules = webPolicy('two-rules', [
  { _from: [{ podSelector: { matchLabels: { role: 'client' } } }], ports: [{ protocol: 'TCP', port: 9000 }] },
  { ports: [{ protocol: 'TCP', port: 9001 }] },
]);
const allow9000 = webPolicy('allow-9000', [{ ports: [{ port: 9000 }] }]);
const allow9001 = webPolicy('allow-9001', [{ ports: [{ port: 9001 }] }]);
const emptyRule = webPolicy('empty-rule', [{}]);
const emptyFrom = webPolicy('empty-from', [{ _from: [], ports: [] }]);
const denyAll = webPolicy('deny-all', []);
const sameNameOtherNs = webPolicy('deny-all', [], 'blue');
const byExpression = webPolicy('by-expression', [], 'green', { matchExpressions: [{ key: 'app', operator: 'In', values: ['webserver', 'api'] }] });
const notWeb = webPolicy('not-web', [], 'green', { matchLabels: { app: 'database' } });

interface DecisionCase {
  name: string;
  policies: V1NetworkPolicy[];
  src: PolicySubject;
  protocol: Protocol;
  port?: number;
  allowed: boolean;
  reason?: RegExp;
}

const decisionCases: DecisionCase[] = [
  { name: 'no policies: everything allowed', policies: [], src: blueOther, protocol: 'TCP', port: 1, allowed: true, reason: /no NetworkPolicy selects green workload/ },
  { name: 'a policy in another namespace does not select', policies: [sameNameOtherNs], src: greenClient, protocol: 'ICMP', allowed: true },
  { name: 'a policy whose podSelector does not match does not select', policies: [notWeb], src: greenClient, protocol: 'ICMP', allowed: true },
  { name: 'matchExpressions podSelector selects', policies: [byExpression], src: greenClient, protocol: 'ICMP', allowed: false, reason: /by-expression/ },
  { name: 'deny-all (no ingress rules) drops TCP', policies: [denyAll], src: greenClient, protocol: 'TCP', port: 9000, allowed: false, reason: /^TCP\/9000 dropped: selected by NetworkPolicy deny-all, no ingress rule allows it$/ },
  { name: 'an empty rule allows everything, ICMP included', policies: [emptyRule], src: blueOther, protocol: 'ICMP', allowed: true, reason: /allowed by NetworkPolicy empty-rule/ },
  { name: 'empty _from and ports lists allow everything', policies: [emptyFrom], src: blueOther, protocol: 'UDP', port: 53, allowed: true },

  { name: 'podSelector peer: matching pod in the same namespace', policies: [fromClients], src: greenClient, protocol: 'TCP', port: 9000, allowed: true, reason: /from-clients/ },
  { name: 'podSelector peer: non-matching pod in the same namespace', policies: [fromClients], src: greenOther, protocol: 'TCP', port: 9000, allowed: false },
  { name: 'podSelector peer: matching labels in another namespace', policies: [fromClients], src: blueClient, protocol: 'TCP', port: 9000, allowed: false },
  { name: 'podSelector peer: right source, wrong port', policies: [fromClients], src: greenClient, protocol: 'TCP', port: 9001, allowed: false },
  { name: 'podSelector peer: right source, ICMP against a port rule', policies: [fromClients], src: greenClient, protocol: 'ICMP', allowed: false },

  { name: 'namespaceSelector peer: matching namespace, any pod', policies: [fromBackendNs], src: blueOther, protocol: 'TCP', port: 1234, allowed: true },
  { name: 'namespaceSelector peer: matching namespace, ICMP (rule has no ports)', policies: [fromBackendNs], src: blueClient, protocol: 'ICMP', allowed: true },
  { name: 'namespaceSelector peer: non-matching namespace (the policy\'s own)', policies: [fromBackendNs], src: greenClient, protocol: 'TCP', port: 9000, allowed: false },
  { name: 'namespaceSelector peer: a namespace without labels', policies: [fromBackendNs], src: unlabelledNsClient, protocol: 'TCP', port: 9000, allowed: false },
  { name: 'empty namespaceSelector peer: every namespace', policies: [fromAnyNs], src: unlabelledNsClient, protocol: 'TCP', port: 9000, allowed: true },
  { name: 'namespaceSelector + podSelector peer: both match', policies: [fromBackendClients], src: blueClient, protocol: 'TCP', port: 9000, allowed: true },
  { name: 'namespaceSelector + podSelector peer: namespace matches, pod does not', policies: [fromBackendClients], src: blueOther, protocol: 'TCP', port: 9000, allowed: false },
  { name: 'namespaceSelector + podSelector peer: pod matches, namespace does not', policies: [fromBackendClients], src: greenClient, protocol: 'TCP', port: 9000, allowed: false },

  { name: 'ipBlock peer: inside the cidr', policies: [fromIpBlock], src: blueClient, protocol: 'TCP', port: 9000, allowed: true },
  { name: 'ipBlock peer: inside an except', policies: [fromIpBlock], src: blueOther, protocol: 'TCP', port: 9000, allowed: false },
  { name: 'ipBlock peer: outside the cidr', policies: [fromIpBlock], src: greenClient, protocol: 'TCP', port: 9000, allowed: false },
  { name: 'ipBlock peer: the except range\'s last address', policies: [fromIpBlock], src: { ...blueOther, ip: '192.168.1.255' }, protocol: 'TCP', port: 9000, allowed: false },
  { name: 'ipBlock peer: just past the except range', policies: [fromIpBlock], src: { ...blueOther, ip: '192.168.2.0' }, protocol: 'TCP', port: 9000, allowed: true },

  { name: 'peers are ORed: the ipBlock one matches', policies: [twoPeers], src: blueClient, protocol: 'TCP', port: 9000, allowed: true },
  { name: 'peers are ORed: the podSelector one matches', policies: [twoPeers], src: greenClient, protocol: 'TCP', port: 9000, allowed: true },
  { name: 'peers are ORed: neither matches', policies: [twoPeers], src: greenOther, protocol: 'TCP', port: 9000, allowed: false },
  { name: 'rules are ORed: first rule (client, 9000)', policies: [twoRules], src: greenClient, protocol: 'TCP', port: 9000, allowed: true },
  { name: 'rules are ORed: second rule (anyone, 9001)', policies: [twoRules], src: blueOther, protocol: 'TCP', port: 9001, allowed: true },
  { name: 'rules are not mixed: non-client on 9000', policies: [twoRules], src: greenOther, protocol: 'TCP', port: 9000, allowed: false },
  { name: 'policies are a union: 9000 allowed by one', policies: [allow9000, allow9001], src: greenOther, protocol: 'TCP', port: 9000, allowed: true, reason: /allow-9000/ },
  { name: 'policies are a union: 9001 allowed by the other', policies: [allow9000, allow9001], src: greenOther, protocol: 'TCP', port: 9001, allowed: true, reason: /allow-9001/ },
  { name: 'policies are a union: 9002 allowed by neither', policies: [allow9000, allow9001], src: greenOther, protocol: 'TCP', port: 9002, allowed: false, reason: /allow-9000, allow-9001/ },
  { name: 'a deny-all next to an allow does not take the allow away', policies: [denyAll, allow9000], src: greenOther, protocol: 'TCP', port: 9000, allowed: true },
  { name: 'a port rule cannot match TCP without a port', policies: [allow9000], src: greenOther, protocol: 'TCP', allowed: false },
  { name: 'port rule with default protocol TCP does not admit SCTP', policies: [allow9000], src: greenOther, protocol: 'SCTP', port: 9000, allowed: false },
  { name: 'a named port is not resolved (demo uses numbers)', policies: [webPolicy('named', [{ ports: [{ protocol: 'TCP', port: 'http' }] }])], src: greenOther, protocol: 'TCP', port: 80, allowed: false },
  { name: 'endPort: inside the range', policies: [webPolicy('range', [{ ports: [{ protocol: 'TCP', port: 32000, endPort: 32768 }] }])], src: greenOther, protocol: 'TCP', port: 32500, allowed: true },
  { name: 'endPort: one past the range', policies: [webPolicy('range', [{ ports: [{ protocol: 'TCP', port: 32000, endPort: 32768 }] }])], src: greenOther, protocol: 'TCP', port: 32769, allowed: false },
  { name: 'endPort: one before the range', policies: [webPolicy('range', [{ ports: [{ protocol: 'TCP', port: 32000, endPort: 32768 }] }])], src: greenOther, protocol: 'TCP', port: 31999, allowed: false },
  { name: 'endPort: UDP range does not admit TCP', policies: [webPolicy('range', [{ ports: [{ protocol: 'UDP', port: 32000, endPort: 32768 }] }])], src: greenOther, protocol: 'TCP', port: 32500, allowed: false },
];

describe('NetworkPolicy ingress semantics: ingressDecision', () => {
  for (const c of decisionCases) {
    it(`${c.name} → ${c.allowed ? 'allowed' : 'denied'}`, () => {
      const d = ingressDecision(c.policies, namespaceLabels, c.src, dstWeb, c.protocol, c.port);
      assert.equal(d.allowed, c.allowed, `reason: ${d.reason}`);
      if (c.reason) assert.match(d.reason, c.reason);
    });
  }
});

// ---------------------------------------------------------------------------------------------
// Label selectors and CIDRs.
// ---------------------------------------------------------------------------------------------

interface SelectorCase {
  name: string;
  selector: V1LabelSelector | undefined;
  labels: Labels;
  matches: boolean;
}

const LABELS: Labels = { app: 'webserver', tier: 'front', [VM_LABEL]: 'vm-a' };

const selectorCases: SelectorCase[] = [
  { name: 'undefined selector matches all', selector: undefined, labels: LABELS, matches: true },
  { name: 'empty selector matches all', selector: {}, labels: LABELS, matches: true },
  { name: 'empty selector matches no labels', selector: {}, labels: {}, matches: true },
  { name: 'empty matchLabels and matchExpressions match all', selector: { matchLabels: {}, matchExpressions: [] }, labels: {}, matches: true },
  { name: 'matchLabels equal', selector: { matchLabels: { app: 'webserver' } }, labels: LABELS, matches: true },
  { name: 'matchLabels all must match', selector: { matchLabels: { app: 'webserver', tier: 'back' } }, labels: LABELS, matches: false },
  { name: 'matchLabels value differs', selector: { matchLabels: { app: 'new-webserver' } }, labels: LABELS, matches: false },
  { name: 'matchLabels key missing', selector: { matchLabels: { zone: 'a' } }, labels: LABELS, matches: false },
  { name: 'matchLabels kubevirt VM label', selector: { matchLabels: { [VM_LABEL]: 'vm-a' } }, labels: LABELS, matches: true },
  { name: 'In: value in the set', selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['api', 'webserver'] }] }, labels: LABELS, matches: true },
  { name: 'In: value not in the set', selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['api'] }] }, labels: LABELS, matches: false },
  { name: 'In: key missing', selector: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }, labels: LABELS, matches: false },
  { name: 'In: empty value matches an empty-valued label', selector: { matchExpressions: [{ key: 'flag', operator: 'In', values: [''] }] }, labels: { flag: '' }, matches: true },
  { name: 'NotIn: value not in the set', selector: { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['api'] }] }, labels: LABELS, matches: true },
  { name: 'NotIn: value in the set', selector: { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['webserver'] }] }, labels: LABELS, matches: false },
  { name: 'NotIn: key missing matches', selector: { matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }, labels: LABELS, matches: true },
  { name: 'Exists: key present', selector: { matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, labels: LABELS, matches: true },
  { name: 'Exists: key present with an empty value', selector: { matchExpressions: [{ key: 'flag', operator: 'Exists' }] }, labels: { flag: '' }, matches: true },
  { name: 'Exists: key missing', selector: { matchExpressions: [{ key: 'zone', operator: 'Exists' }] }, labels: LABELS, matches: false },
  { name: 'Exists: an inherited property is not a label', selector: { matchExpressions: [{ key: 'toString', operator: 'Exists' }] }, labels: LABELS, matches: false },
  { name: 'DoesNotExist: key missing', selector: { matchExpressions: [{ key: 'zone', operator: 'DoesNotExist' }] }, labels: LABELS, matches: true },
  { name: 'DoesNotExist: key present', selector: { matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, labels: LABELS, matches: false },
  { name: 'unknown operator never matches', selector: { matchExpressions: [{ key: 'app', operator: 'Equals', values: ['webserver'] }] }, labels: LABELS, matches: false },
  { name: 'expressions are ANDed: all hold', selector: { matchExpressions: [{ key: 'app', operator: 'Exists' }, { key: 'tier', operator: 'In', values: ['front'] }] }, labels: LABELS, matches: true },
  { name: 'expressions are ANDed: one fails', selector: { matchExpressions: [{ key: 'app', operator: 'Exists' }, { key: 'tier', operator: 'NotIn', values: ['front'] }] }, labels: LABELS, matches: false },
  { name: 'matchLabels AND matchExpressions: both hold', selector: { matchLabels: { app: 'webserver' }, matchExpressions: [{ key: 'zone', operator: 'DoesNotExist' }] }, labels: LABELS, matches: true },
  { name: 'matchLabels AND matchExpressions: expression fails', selector: { matchLabels: { app: 'webserver' }, matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }, labels: LABELS, matches: false },
  { name: 'matchLabels AND matchExpressions: label fails', selector: { matchLabels: { app: 'api' }, matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, labels: LABELS, matches: false },
];

describe('label selectors: selectorMatches', () => {
  for (const c of selectorCases) {
    it(`${c.name} → ${c.matches}`, () => {
      assert.equal(selectorMatches(c.selector, c.labels), c.matches);
    });
  }
});

const cidrCases: Array<[ip: string, cidr: string, inside: boolean]> = [
  ['10.0.0.1', '10.0.0.1/32', true],
  ['10.0.0.2', '10.0.0.1/32', false],
  ['10.0.0.0', '10.0.0.1/32', false],
  ['10.0.0.4', '10.0.0.4/31', true],
  ['10.0.0.5', '10.0.0.4/31', true],
  ['10.0.0.3', '10.0.0.4/31', false],
  ['10.0.0.6', '10.0.0.4/31', false],
  ['0.0.0.0', '0.0.0.0/0', true],
  ['255.255.255.255', '0.0.0.0/0', true],
  ['203.203.0.3', '0.0.0.0/0', true],
  ['8.8.8.8', '10.0.0.0/0', true],
  ['203.203.0.0', '203.203.0.0/16', true],
  ['203.203.255.255', '203.203.0.0/16', true],
  ['203.202.255.255', '203.203.0.0/16', false],
  ['203.204.0.0', '203.203.0.0/16', false],
  ['192.168.0.3', '192.168.0.0/16', true],
  ['192.169.0.0', '192.168.0.0/16', false],
  ['10.255.255.255', '10.0.0.0/8', true],
  ['11.0.0.0', '10.0.0.0/8', false],
  ['9.255.255.255', '10.0.0.0/8', false],
  ['172.31.255.255', '172.16.0.0/12', true],
  ['172.32.0.0', '172.16.0.0/12', false],
  ['172.15.255.255', '172.16.0.0/12', false],
  ['128.0.0.0', '0.0.0.0/1', false],
  ['127.255.255.255', '0.0.0.0/1', true],
  ['128.0.0.0', '128.0.0.0/1', true],
  ['255.255.255.255', '128.0.0.0/1', true],
  // A base address with host bits set still names its network.
  ['10.0.0.1', '10.0.0.77/24', true],
  ['10.0.1.1', '10.0.0.77/24', false],
  // Malformed input is never inside.
  ['10.0.0.1', '10.0.0.0/33', false],
  ['10.0.0.1', '10.0.0.0/-1', false],
  ['10.0.0.1', '10.0.0.0/8.5', false],
  ['10.0.0.1', '10.0.0.1', false],
  ['10.0.0.1', '10.0.0.0/', false],
  ['10.0.0.1', 'garbage/8', false],
  ['256.0.0.1', '0.0.0.0/0', false],
  ['10.0.0', '0.0.0.0/0', false],
  ['www.google.com', '0.0.0.0/0', false],
  ['::1', '0.0.0.0/0', false],
];

describe('CIDR membership: ipInCidr', () => {
  for (const [ip, cidr, inside] of cidrCases) {
    it(`${ip} ${inside ? 'is' : 'is not'} in ${cidr}`, () => {
      assert.equal(ipInCidr(ip, cidr), inside);
    });
  }
});

// ---------------------------------------------------------------------------------------------
// The sandbox's DNS.
// ---------------------------------------------------------------------------------------------

describe("the sandbox's DNS: resolveName", () => {
  const literalIps = ['203.203.0.3', '10.1.2.3', '8.8.8.8', '0.0.0.0', '255.255.255.255'];
  for (const ip of literalIps) {
    it(`a literal IP ${ip} passes through unchanged`, () => {
      assert.equal(resolveName(ip), ip);
    });
  }

  const names = ['www.google.com', 'example.com', 'quay.io', 'registry.fedoraproject.org', 'a', 'x-1.example.net'];
  for (const name of names) {
    it(`${name} resolves to a stable address inside 198.18.0.0/15 with a usable host octet`, () => {
      const a = resolveName(name);
      assert.ok(a !== undefined, `${name} should resolve`);
      assert.equal(resolveName(name), a, 'same name → same address');
      assert.ok(ipInCidr(a, '198.18.0.0/15'), `${a} is inside 198.18.0.0/15`);
      const last = Number(a.split('.')[3]);
      assert.ok(last >= 1 && last <= 254, `${a}: last octet is neither network nor broadcast`);
    });
  }

  it('many names all land inside 198.18.0.0/15, using both halves of it', () => {
    const addresses = Array.from({ length: 200 }, (_, i) => resolveName(`host-${i}.example.org`)!);
    for (const a of addresses) assert.ok(ipInCidr(a, '198.18.0.0/15'), a);
    assert.ok(addresses.some((a) => a.startsWith('198.18.')));
    assert.ok(addresses.some((a) => a.startsWith('198.19.')));
    assert.ok(new Set(addresses).size > 190, 'different names mostly get different addresses');
  });

  it('different names get different addresses', () => {
    assert.notEqual(resolveName('www.google.com'), resolveName('example.com'));
  });

  it('names are case-insensitive', () => {
    assert.equal(resolveName('WWW.Google.COM'), resolveName('www.google.com'));
    assert.equal(resolveName('Example.Com'), resolveName('example.com'));
  });

  const unresolvable = ['foo.invalid', 'www.example.invalid', 'FOO.INVALID', 'foo.Invalid', '', 'bad_name.com', '-leading.com', 'has space.com'];
  for (const name of unresolvable) {
    it(`${JSON.stringify(name)} does not resolve`, () => {
      assert.equal(resolveName(name), undefined);
    });
  }
});
