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

/** The commands of each of the first scenario's own steps, in `n`'s names (the table says which step takes which). */
export function namespaceIsolationByHand(n: ByHandNames) {
  const green = n.green.namespace;
  const blue = n.blue.namespace;
  const { vm: server, client, port } = n.migration;
  const inConsole = (ns: string, vm: string, command: string) => `${command}   # in ${ns}/${vm}'s console`;
  const fromVmA = (command: string) => [`virtctl console -n${green} vm-a`, inConsole(green, 'vm-a', command)];
  const addressOf = (pod: string) => `kubectl get pods -n${green} ${pod} ${NETWORK_STATUS}`;
  const curlWebserver = fromVmA(`curl <webserver's UDN IP>:${n.webserverPort}/hostname`);
  return {
    applyGreenNetwork: [`kubectl apply -f ${MANIFESTS}/01-namespace-isolation-l2-persistent.yaml`],
    applyGreenWorkloads: [`kubectl apply -f ${MANIFESTS}/02-namespace-isolation-workloads.yaml`],
    waitGreenReady: [`kubectl wait -n${green} udn/namespace-scoped --for=condition=NetworkCreated`, `kubectl wait -n${green} pod/webserver vmi/vm-a vmi/vm-b --for=condition=Ready`],
    discoverAddresses: [addressOf('webserver'), `kubectl get -n${green} vmi -owide`],
    checkVmNetworkConfig: [`virtctl console -n${green} vm-a`, inConsole(green, 'vm-a', 'ip a'), inConsole(green, 'vm-a', 'ip r')],
    checkEastWest: [addressOf('webserver'), ...curlWebserver],
    checkEgress: fromVmA(`ping -c 2 ${n.egressHost}`),
    liveMigration: [
      `kubectl get -n${green} vmi -owide`,
      `virtctl console -n${green} ${server}`,
      inConsole(green, server, `iperf3 -s -p ${port} -1`),
      `virtctl console -n${green} ${client}`,
      inConsole(green, client, `iperf3 -c <${server}'s UDN IP> -p${port} -t3600`),
      `virtctl migrate -n${green} ${server}`,
      `kubectl get pods -n${green} -w`,
    ],
    applyBlue: [`kubectl apply -f ${MANIFESTS}/03-namespace-isolation-another-ns-l2-persistent.yaml`, `kubectl apply -f ${MANIFESTS}/04-namespace-isolation-another-ns-workloads.yaml`],
    waitBlueReady: [`kubectl wait -n${blue} udn/separate-namespace --for=condition=NetworkCreated`, `kubectl wait -n${blue} vmi/vm-a --for=condition=Ready`],
    checkIsolation: [
      `kubectl get -n${green} vmi vm-b -owide`,
      `virtctl console -n${blue} vm-a`,
      inConsole(blue, 'vm-a', `ping <${green}/vm-b's UDN IP>`),
      `kubectl get -n${blue} vmi vm-a -owide`,
      `virtctl console -n${green} vm-a`,
      inConsole(green, 'vm-a', `ping <${blue}/vm-a's UDN IP>`),
    ],
    checkNetpolBaseline: curlWebserver,
    applyNetpol: [`kubectl apply -f ${MANIFESTS}/05-network-policy-single-port.yaml`],
    checkNetpolBlocks: curlWebserver,
    applyNewWebserver: [`kubectl apply -f ${MANIFESTS}/06-new-webserver-pod.yaml`, addressOf('new-webserver')],
    checkNetpolAllows: fromVmA(`curl <new-webserver's UDN IP>:${n.newWebserverPort}/hostname`),
  } as const satisfies Record<string, readonly string[]>;
}

export type ByHand = ReturnType<typeof namespaceIsolationByHand>;

/** The talk's own commands: the table's steps hold these very arrays. */
export const TALK_BY_HAND: ByHand = namespaceIsolationByHand(TALK_NAMES);

/** The commands in `mine` that stand where the talk's `commands` stand (found by identity: the table holds TALK_BY_HAND's arrays). */
export function byHandIn(mine: ByHand, commands: readonly string[]): readonly string[] {
  const key = (Object.keys(TALK_BY_HAND) as (keyof ByHand)[]).find((k) => TALK_BY_HAND[k] === commands);
  return key ? mine[key] : commands;
}
