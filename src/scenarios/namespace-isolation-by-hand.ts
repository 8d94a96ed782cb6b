/**
 * What config renames in the first scenario's commands; a ScenarioConfig is one. Spelled out
 * rather than picked from ScenarioConfig, whose step-id keys (timeouts) come from this table.
 */
export interface ByHandNames {
  green: { namespace: string };
  blue: { namespace: string };
  webserverPort: number;
  newWebserverPort: number;
  egressHost: string;
  migration: { vm: string; client: string; port: number };
}

/** The talk's own names: with them, the commands are its script's. */
export const TALK_NAMES: ByHandNames = {
  green: { namespace: 'green' },
  blue: { namespace: 'blue' },
  webserverPort: 9000,
  newWebserverPort: 9001,
  egressHost: 'www.google.com',
  migration: { vm: 'vm-b', client: 'vm-a', port: 9500 },
};

const MANIFESTS = 'manifests/ns-isolation';
/** How the talk reads a pod's address on the primary UDN: the interface marked default in Multus' network-status. */
const NETWORK_STATUS = String.raw`-ojsonpath="{@.metadata.annotations.k8s\.v1\.cni\.cncf\.io\/network-status}" | jq`;

/** The commands of each of the first scenario's own steps, by step id, in `n`'s names. */
export function namespaceIsolationByHand(n: ByHandNames) {
  const green = n.green.namespace;
  const blue = n.blue.namespace;
  const { vm: server, client, port } = n.migration;
  const inConsole = (ns: string, vm: string, command: string) => `${command}   # in ${ns}/${vm}'s console`;
  const fromVmA = (command: string) => [`virtctl console -n${green} vm-a`, inConsole(green, 'vm-a', command)];
  const addressOf = (pod: string) => `kubectl get pods -n${green} ${pod} ${NETWORK_STATUS}`;
  const curlWebserver = fromVmA(`curl <webserver's UDN IP>:${n.webserverPort}/hostname`);
  return {
    'apply-green-network': [`kubectl apply -f ${MANIFESTS}/01-namespace-isolation-l2-persistent.yaml`],
    'apply-green-workloads': [`kubectl apply -f ${MANIFESTS}/02-namespace-isolation-workloads.yaml`],
    'wait-green-ready': [`kubectl wait -n${green} udn/namespace-scoped --for=condition=NetworkCreated`, `kubectl wait -n${green} pod/webserver vmi/vm-a vmi/vm-b --for=condition=Ready`],
    'discover-addresses': [addressOf('webserver'), `kubectl get -n${green} vmi -owide`],
    'check-vm-network-config': [`virtctl console -n${green} vm-a`, inConsole(green, 'vm-a', 'ip a'), inConsole(green, 'vm-a', 'ip r')],
    'check-east-west': [addressOf('webserver'), ...curlWebserver],
    'check-egress': fromVmA(`ping -c 2 ${n.egressHost}`),
    'live-migration': [
      `kubectl get -n${green} vmi -owide`,
      `virtctl console -n${green} ${server}`,
      inConsole(green, server, `iperf3 -s -p ${port} -1`),
      `virtctl console -n${green} ${client}`,
      inConsole(green, client, `iperf3 -c <${server}'s UDN IP> -p${port} -t3600`),
      `virtctl migrate -n${green} ${server}`,
      `kubectl get pods -n${green} -w`,
    ],
    'apply-blue': [`kubectl apply -f ${MANIFESTS}/03-namespace-isolation-another-ns-l2-persistent.yaml`, `kubectl apply -f ${MANIFESTS}/04-namespace-isolation-another-ns-workloads.yaml`],
    'wait-blue-ready': [`kubectl wait -n${blue} udn/separate-namespace --for=condition=NetworkCreated`, `kubectl wait -n${blue} vmi/vm-a --for=condition=Ready`],
    'check-isolation': [
      `kubectl get -n${green} vmi vm-b -owide`,
      `virtctl console -n${blue} vm-a`,
      inConsole(blue, 'vm-a', `ping <${green}/vm-b's UDN IP>`),
      `kubectl get -n${blue} vmi vm-a -owide`,
      `virtctl console -n${green} vm-a`,
      inConsole(green, 'vm-a', `ping <${blue}/vm-a's UDN IP>`),
    ],
    'check-netpol-baseline': curlWebserver,
    'apply-netpol': [`kubectl apply -f ${MANIFESTS}/05-network-policy-single-port.yaml`],
    'check-netpol-blocks': curlWebserver,
    'apply-new-webserver': [`kubectl apply -f ${MANIFESTS}/06-new-webserver-pod.yaml`, addressOf('new-webserver')],
    'check-netpol-allows': fromVmA(`curl <new-webserver's UDN IP>:${n.newWebserverPort}/hostname`),
  } as const satisfies Record<string, readonly string[]>;
}
