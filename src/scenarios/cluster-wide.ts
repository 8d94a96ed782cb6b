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
      shows: 'Two ClusterUserDefinedNetworks each join two namespaces into one network: happy-tenant red and blue, sad-tenant green and yellow.',
      timeoutSeconds: 120,
      needs: ['ensure-cluster'],
      run: { kind: 'apply', bundle: 'cluster-networks', namespaces: ['red-namespace', 'blue-namespace', 'green-namespace', 'yellow-namespace'], creates: { networks: ['happy-tenant', 'sad-tenant'] } },
      byHand: ['kubectl apply -f manifests/cluster-wide-network/01-udn.yaml'],
    },
    {
      id: 'apply-cluster-vms',
      title: 'Start the VMs red, blue, green and yellow, one per namespace',
      shows: 'Each namespace gets a Fedora VM, attached to whichever network selects its namespace.',
      timeoutSeconds: 120,
      needs: ['apply-cluster-networks'],
      run: {
        kind: 'apply',
        bundle: 'cluster-workloads',
        namespaces: ['red-namespace', 'blue-namespace', 'green-namespace', 'yellow-namespace'],
        creates: { workloads: ['red-namespace/red', 'blue-namespace/blue', 'green-namespace/green', 'yellow-namespace/yellow'] },
      },
      byHand: ['kubectl apply -f manifests/cluster-wide-network/02-workloads.yaml'],
    },
    {
      id: 'wait-cluster-ready',
      title: 'Wait for the cluster-wide networks and the four VMs to be ready',
      shows: 'OVN-Kubernetes has created both cluster-wide networks, and the four VMs run on them.',
      timeoutSeconds: 900,
      needs: ['apply-cluster-vms'],
      run: { kind: 'wait', networks: ['happy-tenant', 'sad-tenant'], workloads: ['red-namespace/red', 'blue-namespace/blue', 'green-namespace/green', 'yellow-namespace/yellow'] },
      byHand: ['kubectl wait cudn/happy-tenant cudn/sad-tenant --for=condition=NetworkCreated', 'kubectl get vmi -A -owide'],
    },
    {
      id: 'check-cluster-networks',
      title: 'Each cluster-wide network joins its namespaces, and only them',
      shows: 'A cluster-wide network joins namespaces: VMs in different namespaces of one network reach each other, and never a VM of the other network.',
      timeoutSeconds: 300,
      needs: ['wait-cluster-ready'],
      skippable: true,
      run: { kind: 'probe' },
      byHand: [
        'kubectl get vmi -A -owide',
        'virtctl console -nblue-namespace blue',
        "ping -c 4 <red's UDN IP>   # in blue-namespace/blue's console",
        'virtctl console -nyellow-namespace yellow',
        "ping -c 4 <green's UDN IP>   # in yellow-namespace/yellow's console",
        'virtctl console -nred-namespace red',
        "ping -c 4 <green's UDN IP>   # in red-namespace/red's console",
        'virtctl console -ngreen-namespace green',
        "ping -c 4 <red's UDN IP>   # in green-namespace/green's console",
      ],
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
      shows: 'A web server runs in the red VM, on its address on happy-tenant.',
      timeoutSeconds: 300,
      needs: ['wait-cluster-ready'],
      run: { kind: 'serve-http', vm: 'red-namespace/red' },
      byHand: ['virtctl console -nred-namespace red', "python3 -m http.server --bind <red's UDN IP> 9000   # in red-namespace/red's console"],
    },
    {
      id: 'apply-webapp-service',
      title: 'Expose red as Service webapp, type LoadBalancer, port 9000',
      shows: 'A plain Kubernetes Service of type LoadBalancer selects a VM on a cluster-wide network.',
      timeoutSeconds: 120,
      needs: ['apply-cluster-networks'],
      run: { kind: 'apply', bundle: 'cluster-service', namespaces: ['red-namespace'], creates: { services: ['red-namespace/webapp'] } },
      byHand: ['kubectl apply -f manifests/cluster-wide-network/03-service.yaml'],
    },
    {
      id: 'discover-webapp',
      title: "Read webapp's ClusterIP, NodePort, ingress IP and endpoints",
      shows: 'webapp gets a ClusterIP, a NodePort and an ingress IP from MetalLB, with the red VM as its endpoint.',
      timeoutSeconds: 300,
      needs: ['apply-webapp-service', 'wait-cluster-ready'],
      run: { kind: 'discover-services', services: ['red-namespace/webapp'] },
      byHand: ['kubectl get service -nred-namespace webapp -oyaml', 'kubectl get endpoints -nred-namespace'],
    },
    {
      id: 'check-services',
      title: 'webapp answers by its ClusterIP on its network, by a NodePort and by its load balancer from outside',
      shows: 'The Service API works on the primary network: blue reaches webapp by its ClusterIP, green on the other network does not, and from outside the cluster both the NodePort and the load balancer answer.',
      timeoutSeconds: 300,
      needs: ['discover-webapp', 'serve-webapp'],
      skippable: true,
      run: { kind: 'probe' },
      byHand: [
        'virtctl console -nblue-namespace blue',
        "curl <webapp's ClusterIP>:9000   # in blue-namespace/blue's console",
        'virtctl console -ngreen-namespace green',
        "curl <webapp's ClusterIP>:9000   # in green-namespace/green's console",
        'kubectl get nodes -owide',
        "curl <a node's INTERNAL-IP>:<webapp's NodePort>",
        "docker exec lbclient curl <webapp's load-balancer IP>:9000",
      ],
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
      shows: "The red VM's web server is stopped, leaving the VM as it was.",
      timeoutSeconds: 300,
      needs: ['check-services'],
      skippable: true,
      run: { kind: 'stop-http', vm: 'red-namespace/red' },
      byHand: ['virtctl console -nred-namespace red', `pkill -f "python3 -m http.server"   # in red-namespace/red's console`],
    },
    reportStep(['check-cluster-networks', 'check-services', 'stop-webapp']),
  ],
} as const satisfies Scenario;
