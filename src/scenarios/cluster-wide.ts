import { ENSURE_CLUSTER, PREFLIGHT, reportStep } from './common-steps.ts';
import type { Scenario } from './types.ts';

/** What python's http.server answers for a directory: the talk's proof that the red VM was reached. */
const DIRECTORY_LISTING = 'Directory listing for /';

/**
 * The talk's second half, from the demo repository's manifests/cluster-wide-network/: two
 * ClusterUserDefinedNetworks, each joining two namespaces (happy: red and blue; sad: green and
 * yellow), a VM in each; then the Service API on top: webapp, a LoadBalancer in front of a web
 * server in the red VM, reached by its ClusterIP from blue, and from outside the cluster by a
 * node's NodePort and by MetalLB's ingress IP.
 */
export const CLUSTER_WIDE = {
  id: 'cluster-wide',
  title: 'Cluster-wide networks: ClusterUserDefinedNetworks joining namespaces, and the Service API',
  networks: [
    { name: 'happy-tenant', scope: 'cluster', namespaces: ['red-namespace', 'blue-namespace'], topology: 'Layer2', role: 'Primary', subnet: '203.203.0.0/16', mtu: 1400 },
    { name: 'sad-tenant', scope: 'cluster', namespaces: ['green-namespace', 'yellow-namespace'], topology: 'Layer2', role: 'Primary', subnet: '208.208.0.0/16', mtu: 1400 },
  ],
  workloads: [
    { namespace: 'red-namespace', name: 'red', kind: 'vm', labels: { 'app.kubernetes.io/name': 'redvm' }, serves: { port: 9000, answerHolds: DIRECTORY_LISTING } },
    { namespace: 'blue-namespace', name: 'blue', kind: 'vm', labels: {} },
    { namespace: 'green-namespace', name: 'green', kind: 'vm', labels: {} },
    { namespace: 'yellow-namespace', name: 'yellow', kind: 'vm', labels: {} },
  ],
  policies: [],
  services: [{ namespace: 'red-namespace', name: 'webapp', type: 'LoadBalancer', selector: { 'app.kubernetes.io/name': 'redvm' }, port: 9000, targetPort: 9000 }],
  outside: [],
  steps: [
    PREFLIGHT,
    ENSURE_CLUSTER,
    {
      id: 'apply-cluster-networks',
      title: 'Create namespaces red, blue, green, yellow and the cluster-wide networks happy-tenant and sad-tenant',
      timeoutSeconds: 120,
      needs: ['ensure-cluster'],
      run: { kind: 'apply', bundle: 'cluster-networks', namespaces: ['red-namespace', 'blue-namespace', 'green-namespace', 'yellow-namespace'], creates: { networks: ['happy-tenant', 'sad-tenant'] } },
    },
    {
      id: 'apply-cluster-vms',
      title: 'Start the VMs red, blue, green and yellow, one per namespace',
      timeoutSeconds: 120,
      needs: ['apply-cluster-networks'],
      run: {
        kind: 'apply',
        bundle: 'cluster-workloads',
        namespaces: ['red-namespace', 'blue-namespace', 'green-namespace', 'yellow-namespace'],
        creates: { workloads: ['red-namespace/red', 'blue-namespace/blue', 'green-namespace/green', 'yellow-namespace/yellow'] },
      },
    },
    {
      id: 'wait-cluster-ready',
      title: 'Wait for the cluster-wide networks and the four VMs to be ready',
      timeoutSeconds: 900,
      needs: ['apply-cluster-vms'],
      run: { kind: 'wait', networks: ['happy-tenant', 'sad-tenant'], workloads: ['red-namespace/red', 'blue-namespace/blue', 'green-namespace/green', 'yellow-namespace/yellow'] },
    },
    {
      id: 'check-cluster-networks',
      title: 'Each cluster-wide network joins its namespaces, and only them',
      timeoutSeconds: 300,
      needs: ['wait-cluster-ready'],
      skippable: true,
      run: { kind: 'probe' },
      checks: [
        { id: 'cudn-happy-east-west', description: 'blue reaches red across namespaces over happy-tenant', probes: [{ from: 'blue-namespace/blue', to: 'red-namespace/red', protocol: 'icmp' }] },
        { id: 'cudn-sad-east-west', description: 'yellow reaches green across namespaces over sad-tenant', probes: [{ from: 'yellow-namespace/yellow', to: 'green-namespace/green', protocol: 'icmp' }] },
        { id: 'cudn-isolation-happy-to-sad', description: 'red, on happy-tenant, cannot reach green on sad-tenant', probes: [{ from: 'red-namespace/red', to: 'green-namespace/green', protocol: 'icmp' }] },
        { id: 'cudn-isolation-sad-to-happy', description: 'green, on sad-tenant, cannot reach red on happy-tenant', probes: [{ from: 'green-namespace/green', to: 'red-namespace/red', protocol: 'icmp' }] },
      ],
    },
    {
      id: 'serve-webapp',
      title: 'Start the web server in the red VM: python3 -m http.server on its address, port 9000',
      timeoutSeconds: 300,
      needs: ['wait-cluster-ready'],
      run: { kind: 'serve-http', vm: 'red-namespace/red' },
    },
    {
      id: 'apply-webapp-service',
      title: 'Expose red as Service webapp, type LoadBalancer, port 9000',
      timeoutSeconds: 120,
      needs: ['apply-cluster-networks'],
      run: { kind: 'apply', bundle: 'cluster-service', namespaces: ['red-namespace'], creates: { services: ['red-namespace/webapp'] } },
    },
    {
      id: 'discover-webapp',
      title: "Read webapp's ClusterIP, NodePort, ingress IP and endpoints",
      timeoutSeconds: 300,
      needs: ['apply-webapp-service', 'wait-cluster-ready'],
      run: { kind: 'discover-services', services: ['red-namespace/webapp'] },
    },
    {
      id: 'check-services',
      title: 'webapp answers by its ClusterIP on its network, by a NodePort and by its load balancer from outside',
      timeoutSeconds: 300,
      needs: ['discover-webapp', 'serve-webapp'],
      skippable: true,
      run: { kind: 'probe' },
      checks: [
        { id: 'service-cluster-ip', description: "blue reaches webapp's ClusterIP: the red VM's web server answers", probes: [{ from: 'blue-namespace/blue', to: 'service:red-namespace/webapp', via: 'cluster-ip', protocol: 'http', port: 9000 }] },
        { id: 'service-cluster-ip-isolated', description: "green, on the other network, does not reach webapp's ClusterIP", probes: [{ from: 'green-namespace/green', to: 'service:red-namespace/webapp', via: 'cluster-ip', protocol: 'tcp', port: 9000 }] },
        { id: 'service-node-port', description: "From the machine running the cluster, a node's NodePort reaches webapp", probes: [{ from: 'outside:host', to: 'service:red-namespace/webapp', via: 'node-port', protocol: 'http', port: 9000 }] },
        { id: 'service-load-balancer', description: "From outside the cluster, MetalLB's ingress IP reaches webapp", probes: [{ from: 'outside:client', to: 'service:red-namespace/webapp', via: 'load-balancer', protocol: 'http', port: 9000 }] },
      ],
    },
    {
      id: 'stop-webapp',
      title: 'Stop the web server in the red VM',
      timeoutSeconds: 300,
      needs: ['check-services'],
      skippable: true,
      run: { kind: 'stop-http', vm: 'red-namespace/red' },
    },
    reportStep(['check-cluster-networks', 'check-services', 'stop-webapp']),
  ],
} as const satisfies Scenario;
