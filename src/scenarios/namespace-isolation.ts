import { ENSURE_CLUSTER, PREFLIGHT, reportStep } from './common-steps.ts';
import { namespaceIsolationByHand, TALK_NAMES } from './namespace-isolation-by-hand.ts';
import type { Scenario } from './types.ts';

const BY_HAND = namespaceIsolationByHand(TALK_NAMES);

/**
 * The talk's first half, in the seed's words and values: namespace `green` with a primary
 * Layer2 UDN, a webserver pod and two Fedora VMs; east/west, egress, the network a VM sees, a
 * TCP session across a live migration; namespace `blue` on a network of its own that cannot
 * reach green; a NetworkPolicy that leaves only port 9001 open.
 */
export const NAMESPACE_ISOLATION = {
  id: 'namespace-isolation',
  title: 'Namespace isolation: a primary Layer2 UDN per namespace, NetworkPolicy on top',
  networks: [
    { name: 'namespace-scoped', scope: 'namespace', namespaces: ['green'], topology: 'Layer2', role: 'Primary', subnet: '203.203.0.0/16', mtu: 1400 },
    { name: 'separate-namespace', scope: 'namespace', namespaces: ['blue'], topology: 'Layer2', role: 'Primary', subnet: '192.168.0.0/16', mtu: 1400 },
  ],
  workloads: [
    { namespace: 'green', name: 'webserver', kind: 'pod', node: 'ovn-worker', labels: { app: 'webserver' }, httpPort: 9000 },
    { namespace: 'green', name: 'new-webserver', kind: 'pod', node: 'ovn-worker', labels: { app: 'new-webserver' }, httpPort: 9001 },
    { namespace: 'green', name: 'vm-a', kind: 'vm', labels: {} },
    { namespace: 'green', name: 'vm-b', kind: 'vm', labels: {} },
    { namespace: 'blue', name: 'vm-a', kind: 'vm', labels: {} },
  ],
  policies: [{ name: 'ingress-port-9001-only', namespace: 'green', podSelector: {}, ingressTcpPorts: [9001] }],
  services: [],
  outside: ['www.google.com'],
  steps: [
    PREFLIGHT,
    ENSURE_CLUSTER,
    {
      id: 'apply-green-network',
      title: 'Create namespace green and its primary Layer2 UDN',
      shows: 'Namespace green gets a primary Layer2 network of its own, a UserDefinedNetwork whose persistent IPAM lets VMs keep their addresses.',
      timeoutSeconds: 120,
      needs: ['ensure-cluster'],
      run: { kind: 'apply', bundle: 'green-network', namespaces: ['green'], creates: { networks: ['namespace-scoped'] } },
      byHand: BY_HAND['apply-green-network'],
    },
    {
      id: 'apply-green-workloads',
      title: 'Deploy the webserver pod and VMs vm-a, vm-b in green',
      shows: "A pod and two Fedora VMs join green's network just by being created in the namespace.",
      timeoutSeconds: 120,
      needs: ['apply-green-network'],
      run: { kind: 'apply', bundle: 'green-workloads', namespaces: ['green'], creates: { workloads: ['green/webserver', 'green/vm-a', 'green/vm-b'] } },
      byHand: BY_HAND['apply-green-workloads'],
    },
    {
      id: 'wait-green-ready',
      title: "Wait for green's UDN, pod and VMs to be ready",
      shows: "OVN-Kubernetes has created green's network, and its pod and VMs are running on it.",
      timeoutSeconds: 900,
      needs: ['apply-green-workloads'],
      run: { kind: 'wait', networks: ['namespace-scoped'], workloads: ['green/webserver', 'green/vm-a', 'green/vm-b'] },
      byHand: BY_HAND['wait-green-ready'],
    },
    {
      id: 'discover-addresses',
      title: 'Discover the workloads’ UDN addresses',
      shows: "Each workload's address on the primary UDN, from green's subnet: what the next steps aim at.",
      timeoutSeconds: 120,
      needs: ['wait-green-ready'],
      run: { kind: 'discover', workloads: ['green/webserver', 'green/vm-a', 'green/vm-b'] },
      byHand: BY_HAND['discover-addresses'],
    },
    {
      id: 'check-vm-network-config',
      title: "A VM's interface and routes: its UDN address, the UDN's gateway, MTU 1400",
      shows: "Inside vm-a, the primary UDN is the VM's own network: eth0 holds its UDN address, the default route goes via the UDN's gateway, the MTU is 1400.",
      timeoutSeconds: 300,
      needs: ['discover-addresses'],
      skippable: true,
      since: 'vm-network-config',
      run: { kind: 'inspect-network', vm: 'green/vm-a' },
      byHand: BY_HAND['check-vm-network-config'],
      checks: [{ id: 'vm-network-config', description: "vm-a's eth0 holds its UDN address with the UDN's prefix, routes by default via the UDN's gateway, with the MTU OVN-Kubernetes sets" }],
    },
    {
      id: 'check-east-west',
      title: 'East/west: vm-a reaches the webserver pod',
      shows: "East/west traffic between a VM and a pod over the primary UDN: curl from vm-a gets the webserver pod's name.",
      timeoutSeconds: 300,
      needs: ['discover-addresses'],
      skippable: true,
      run: { kind: 'probe' },
      byHand: BY_HAND['check-east-west'],
      checks: [{ id: 'east-west', description: 'A VM reaches the pod webserver over the primary UDN', probes: [{ from: 'green/vm-a', to: 'green/webserver', protocol: 'http', port: 9000 }] }],
    },
    {
      id: 'check-egress',
      title: 'Egress: vm-a reaches a host outside the cluster',
      shows: 'A VM on the primary UDN reaches the world outside the cluster: vm-a pings an internet host.',
      timeoutSeconds: 300,
      needs: ['discover-addresses'],
      skippable: true,
      run: { kind: 'probe' },
      byHand: BY_HAND['check-egress'],
      checks: [{ id: 'egress', description: 'A VM reaches a host outside the cluster over the primary UDN', probes: [{ from: 'green/vm-a', to: 'outside:www.google.com', protocol: 'icmp' }] }],
    },
    {
      id: 'live-migration',
      title: 'A TCP session survives the live migration of vm-b',
      shows: 'An iperf3 TCP session between vm-a and vm-b is not interrupted while vm-b live-migrates to another node, and vm-b keeps its address.',
      timeoutSeconds: 1200,
      needs: ['discover-addresses'],
      run: { kind: 'migrate-under-traffic', server: 'green/vm-b', client: 'green/vm-a' },
      byHand: BY_HAND['live-migration'],
      checks: [{ id: 'live-migration', description: 'A TCP session survives the live migration of a VM on the primary UDN, and the VM keeps its address' }],
    },
    {
      id: 'apply-blue',
      title: 'Create namespace blue, its UDN and its vm-a',
      shows: 'A second namespace, blue, gets a primary network of its own and a VM on it.',
      timeoutSeconds: 120,
      needs: ['ensure-cluster'],
      run: { kind: 'apply', bundle: 'blue', namespaces: ['blue'], creates: { networks: ['separate-namespace'], workloads: ['blue/vm-a'] } },
      byHand: BY_HAND['apply-blue'],
    },
    {
      id: 'wait-blue-ready',
      title: "Wait for blue's UDN and VM to be ready",
      shows: "OVN-Kubernetes has created blue's network, and blue's VM is running on it.",
      timeoutSeconds: 900,
      needs: ['apply-blue'],
      run: { kind: 'wait', networks: ['separate-namespace'], workloads: ['blue/vm-a'] },
      byHand: BY_HAND['wait-blue-ready'],
    },
    {
      id: 'check-isolation',
      title: 'Isolation: blue and green cannot reach each other',
      shows: "Namespaces are isolated without any NetworkPolicy: blue's VM cannot reach green's VMs, nor green's blue's.",
      timeoutSeconds: 300,
      needs: ['discover-addresses', 'wait-blue-ready'],
      skippable: true,
      run: { kind: 'probe' },
      byHand: BY_HAND['check-isolation'],
      checks: [
        { id: 'isolation-blue-to-green', description: "A VM in blue cannot reach green's workloads", probes: [{ from: 'blue/vm-a', to: 'green/vm-b', protocol: 'icmp' }] },
        { id: 'isolation-green-to-blue', description: "A VM in green cannot reach blue's workloads", probes: [{ from: 'green/vm-a', to: 'blue/vm-a', protocol: 'icmp' }] },
      ],
    },
    {
      id: 'check-netpol-baseline',
      title: 'Before the policy: vm-a reaches port 9000',
      shows: "Before any policy, vm-a opens a connection to the webserver pod's port 9000.",
      timeoutSeconds: 300,
      needs: ['discover-addresses'],
      skippable: true,
      run: { kind: 'probe' },
      byHand: BY_HAND['check-netpol-baseline'],
      // The policy is about the port: a TCP connection proves it open, whoever answers on it.
      checks: [{ id: 'netpol-baseline-9000', description: 'Before the policy, the webserver answers on its port', probes: [{ from: 'green/vm-a', to: 'green/webserver', protocol: 'tcp', port: 9000 }] }],
    },
    {
      id: 'apply-netpol',
      title: 'Apply the NetworkPolicy that allows only TCP 9001',
      shows: "A plain Kubernetes NetworkPolicy applies on the primary UDN: only TCP port 9001 may enter green's pods and VMs.",
      timeoutSeconds: 120,
      // After every check that must see the world without it (port 9000 open, the migration's iperf3 port, isolation by network alone).
      needs: ['check-east-west', 'check-egress', 'live-migration', 'check-isolation', 'check-netpol-baseline'],
      run: { kind: 'apply', bundle: 'netpol', namespaces: ['green'], creates: { policies: ['ingress-port-9001-only'] } },
      byHand: BY_HAND['apply-netpol'],
    },
    {
      id: 'check-netpol-blocks',
      title: 'The policy blocks port 9000',
      shows: 'With the policy in place, the same curl from vm-a to port 9000 gets no answer.',
      timeoutSeconds: 300,
      needs: ['apply-netpol'],
      skippable: true,
      run: { kind: 'probe' },
      byHand: BY_HAND['check-netpol-blocks'],
      checks: [{ id: 'netpol-blocks-9000', description: 'The policy blocks the webserver port', probes: [{ from: 'green/vm-a', to: 'green/webserver', protocol: 'tcp', port: 9000 }] }],
    },
    {
      id: 'apply-new-webserver',
      title: 'Deploy new-webserver listening on 9001',
      shows: 'A second web server pod, new-webserver, listens on 9001, the one port the policy leaves open.',
      timeoutSeconds: 300,
      // The first green apply removes an earlier run's new-webserver, so this one comes after it.
      needs: ['apply-green-network'],
      run: { kind: 'apply', bundle: 'new-webserver', namespaces: ['green'], creates: { workloads: ['green/new-webserver'] }, waitFor: ['green/new-webserver'] },
      byHand: BY_HAND['apply-new-webserver'],
    },
    {
      id: 'check-netpol-allows',
      title: 'The policy allows port 9001',
      shows: 'The policy lets its one port through: vm-a reaches new-webserver on 9001.',
      timeoutSeconds: 300,
      needs: ['apply-netpol', 'apply-new-webserver'],
      skippable: true,
      run: { kind: 'probe' },
      byHand: BY_HAND['check-netpol-allows'],
      checks: [{ id: 'netpol-allows-9001', description: 'The policy allows the one open port', probes: [{ from: 'green/vm-a', to: 'green/new-webserver', protocol: 'http', port: 9001 }] }],
    },
    reportStep(['check-vm-network-config', 'check-east-west', 'check-egress', 'live-migration', 'check-isolation', 'check-netpol-baseline', 'check-netpol-blocks', 'check-netpol-allows']),
  ],
} as const satisfies Scenario;

/**
 * `udn-demo tenants` gives each tenant green's shape; its activities take the options (timeouts,
 * retries) of the step of this table that each one mirrors.
 */
export const TENANT_STEPS = {
  apply: 'apply-green-workloads',
  wait: 'wait-green-ready',
  discover: 'discover-addresses',
  eastWest: 'check-east-west',
  isolation: 'check-isolation',
} as const;
