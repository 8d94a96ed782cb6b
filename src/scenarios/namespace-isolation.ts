import { ENSURE_CLUSTER, PREFLIGHT, reportStep } from './common-steps.ts';
import type { Scenario } from './types.ts';

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
      timeoutSeconds: 120,
      needs: ['ensure-cluster'],
      run: { kind: 'apply', bundle: 'green-network', namespaces: ['green'], creates: { networks: ['namespace-scoped'] } },
    },
    {
      id: 'apply-green-workloads',
      title: 'Deploy the webserver pod and VMs vm-a, vm-b in green',
      timeoutSeconds: 120,
      needs: ['apply-green-network'],
      run: { kind: 'apply', bundle: 'green-workloads', namespaces: ['green'], creates: { workloads: ['green/webserver', 'green/vm-a', 'green/vm-b'] } },
    },
    {
      id: 'wait-green-ready',
      title: "Wait for green's UDN, pod and VMs to be ready",
      timeoutSeconds: 900,
      needs: ['apply-green-workloads'],
      run: { kind: 'wait', networks: ['namespace-scoped'], workloads: ['green/webserver', 'green/vm-a', 'green/vm-b'] },
    },
    {
      id: 'discover-addresses',
      title: 'Discover the workloads’ UDN addresses',
      timeoutSeconds: 120,
      needs: ['wait-green-ready'],
      run: { kind: 'discover', workloads: ['green/webserver', 'green/vm-a', 'green/vm-b'] },
    },
    {
      id: 'check-vm-network-config',
      title: "A VM's interface and routes: its UDN address, the UDN's gateway, MTU 1400",
      timeoutSeconds: 300,
      needs: ['discover-addresses'],
      skippable: true,
      since: 'vm-network-config',
      run: { kind: 'inspect-network', vm: 'green/vm-a' },
      checks: [{ id: 'vm-network-config', description: "vm-a's eth0 holds its UDN address with the UDN's prefix, routes by default via the UDN's gateway, with the MTU OVN-Kubernetes sets" }],
    },
    {
      id: 'check-east-west',
      title: 'East/west: vm-a reaches the webserver pod',
      timeoutSeconds: 300,
      needs: ['discover-addresses'],
      skippable: true,
      run: { kind: 'probe' },
      checks: [{ id: 'east-west', description: 'A VM reaches the pod webserver over the primary UDN', probes: [{ from: 'green/vm-a', to: 'green/webserver', protocol: 'http', port: 9000 }] }],
    },
    {
      id: 'check-egress',
      title: 'Egress: vm-a reaches a host outside the cluster',
      timeoutSeconds: 300,
      needs: ['discover-addresses'],
      skippable: true,
      run: { kind: 'probe' },
      checks: [{ id: 'egress', description: 'A VM reaches a host outside the cluster over the primary UDN', probes: [{ from: 'green/vm-a', to: 'outside:www.google.com', protocol: 'icmp' }] }],
    },
    {
      id: 'live-migration',
      title: 'A TCP session survives the live migration of vm-b',
      timeoutSeconds: 1200,
      needs: ['discover-addresses'],
      run: { kind: 'migrate-under-traffic', server: 'green/vm-b', client: 'green/vm-a' },
      checks: [{ id: 'live-migration', description: 'A TCP session survives the live migration of a VM on the primary UDN, and the VM keeps its address' }],
    },
    {
      id: 'apply-blue',
      title: 'Create namespace blue, its UDN and its vm-a',
      timeoutSeconds: 120,
      needs: ['ensure-cluster'],
      run: { kind: 'apply', bundle: 'blue', namespaces: ['blue'], creates: { networks: ['separate-namespace'], workloads: ['blue/vm-a'] } },
    },
    {
      id: 'wait-blue-ready',
      title: "Wait for blue's UDN and VM to be ready",
      timeoutSeconds: 900,
      needs: ['apply-blue'],
      run: { kind: 'wait', networks: ['separate-namespace'], workloads: ['blue/vm-a'] },
    },
    {
      id: 'check-isolation',
      title: 'Isolation: blue and green cannot reach each other',
      timeoutSeconds: 300,
      needs: ['discover-addresses', 'wait-blue-ready'],
      skippable: true,
      run: { kind: 'probe' },
      checks: [
        { id: 'isolation-blue-to-green', description: "A VM in blue cannot reach green's workloads", probes: [{ from: 'blue/vm-a', to: 'green/vm-b', protocol: 'icmp' }] },
        { id: 'isolation-green-to-blue', description: "A VM in green cannot reach blue's workloads", probes: [{ from: 'green/vm-a', to: 'blue/vm-a', protocol: 'icmp' }] },
      ],
    },
    {
      id: 'check-netpol-baseline',
      title: 'Before the policy: vm-a reaches port 9000',
      timeoutSeconds: 300,
      needs: ['discover-addresses'],
      skippable: true,
      run: { kind: 'probe' },
      // The policy is about the port: a TCP connection proves it open, whoever answers on it.
      checks: [{ id: 'netpol-baseline-9000', description: 'Before the policy, the webserver answers on its port', probes: [{ from: 'green/vm-a', to: 'green/webserver', protocol: 'tcp', port: 9000 }] }],
    },
    {
      id: 'apply-netpol',
      title: 'Apply the NetworkPolicy that allows only TCP 9001',
      timeoutSeconds: 120,
      // After every check that must see the world without it (port 9000 open, the migration's iperf3 port, isolation by network alone).
      needs: ['check-east-west', 'check-egress', 'live-migration', 'check-isolation', 'check-netpol-baseline'],
      run: { kind: 'apply', bundle: 'netpol', namespaces: ['green'], creates: { policies: ['ingress-port-9001-only'] } },
    },
    {
      id: 'check-netpol-blocks',
      title: 'The policy blocks port 9000',
      timeoutSeconds: 300,
      needs: ['apply-netpol'],
      skippable: true,
      run: { kind: 'probe' },
      checks: [{ id: 'netpol-blocks-9000', description: 'The policy blocks the webserver port', probes: [{ from: 'green/vm-a', to: 'green/webserver', protocol: 'tcp', port: 9000 }] }],
    },
    {
      id: 'apply-new-webserver',
      title: 'Deploy new-webserver listening on 9001',
      timeoutSeconds: 300,
      // The first green apply removes an earlier run's new-webserver, so this one comes after it.
      needs: ['apply-green-network'],
      run: { kind: 'apply', bundle: 'new-webserver', namespaces: ['green'], creates: { workloads: ['green/new-webserver'] }, waitFor: ['green/new-webserver'] },
    },
    {
      id: 'check-netpol-allows',
      title: 'The policy allows port 9001',
      timeoutSeconds: 300,
      needs: ['apply-netpol', 'apply-new-webserver'],
      skippable: true,
      run: { kind: 'probe' },
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
