import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { DiscoveryV1Api, KubernetesObjectApi, type KubeConfig, type KubernetesObject, type V1Service } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { withConsole, type ConsoleOptions } from '../../src/cluster/console/sessions.ts';
import { tearDown } from '../../src/cluster/teardown.ts';
import type { WorkloadRef } from '../../src/model/workload.ts';
import { CLUSTER_WIDE } from '../../src/scenarios/cluster-wide.ts';
import { scenarioFootprint } from '../../src/scenarios/compose.ts';
import type { Scenario } from '../../src/scenarios/types.ts';
import { outsideExec, sandboxDown, type EmulationOptions, type SandboxStatus } from '../../src/sandbox/index.ts';
import { clientsFor, conditionStatus, eventually, freshSandbox, vmi, type Clients } from '../helpers/sandbox.ts';

const MANIFESTS = ['01-udn.yaml', '02-workloads.yaml', '03-service.yaml'].map((f) => fileURLToPath(new URL(`../../manifests/cluster-wide-network/${f}`, import.meta.url)));
const VMS = { red: 'red-namespace', blue: 'blue-namespace', green: 'green-namespace', yellow: 'yellow-namespace' } as const;
const login: ConsoleOptions = { credentials: { user: 'fedora', password: 'fedora' }, connectTimeoutMs: 5_000, loginTimeoutMs: 10_000, reconnects: 0 };
const ref = (vm: keyof typeof VMS): WorkloadRef => ({ namespace: VMS[vm], kind: 'VirtualMachineInstance', name: vm });
const LISTING = /<title>Directory listing for \/<\/title>[\s\S]*<h1>Directory listing for \/<\/h1>[\s\S]*<li><a href="\.bash_logout">\.bash_logout<\/a><\/li>\n<li><a href="\.bash_profile">\.bash_profile<\/a><\/li>\n<li><a href="\.bashrc">\.bashrc<\/a><\/li>\n<li><a href="\.ssh\/">\.ssh\/<\/a><\/li>/;

/** The talk's cluster-wide manifests, created as `kubectl create -f` would (any kind, any scope). */
async function applyTalk(kc: KubeConfig): Promise<void> {
  const objects = KubernetesObjectApi.makeApiClient(kc);
  for (const file of MANIFESTS) {
    for (const doc of parseAllDocuments(await readFile(file, 'utf8'))) {
      const o = doc.toJSON() as KubernetesObject | null;
      if (o) await objects.create(o);
    }
  }
}

async function upWithTalk(emulation: EmulationOptions): Promise<{ s: SandboxStatus; c: Clients }> {
  const s = await freshSandbox(emulation);
  const c = clientsFor(s.kubeconfigPath!);
  await applyTalk(c.kc);
  for (const [vm, ns] of Object.entries(VMS)) {
    await eventually(`${vm} Running`, () => vmi(c, ns, vm), (v) => v?.status?.phase === 'Running' && Boolean(v.status.interfaces?.[0]?.ipAddress), 60_000);
  }
  return { s, c };
}

const udnAddress = async (c: Clients, vm: keyof typeof VMS): Promise<string> => (await vmi(c, VMS[vm], vm)).status.interfaces[0].ipAddress;

/** The talk's second scenario on the sandbox: CUDNs, the Service API, MetalLB, the outside host. */
describe('sandbox: cluster-wide networks and the Service API (the talk\'s second scenario)', { timeout: 120_000 }, () => {
  let s: SandboxStatus;
  let c: Clients;
  let webapp: V1Service;
  before(async () => {
    ({ s, c } = await upWithTalk({ profile: 'instant', scale: 1 }));
    webapp = await eventually('webapp has an ingress address', () => c.core.readNamespacedService({ name: 'webapp', namespace: 'red-namespace' }), (svc) => (svc.status?.loadBalancer?.ingress ?? []).length > 0);
  });
  after(async () => {
    if (s) await sandboxDown(s.dir);
  });

  it('each CUDN is NetworkCreated in the namespaces it selects, with a NAD in each, as upstream renders it', async () => {
    const expected = { 'happy-tenant': ['blue-namespace', 'red-namespace'], 'sad-tenant': ['green-namespace', 'yellow-namespace'] };
    for (const [name, namespaces] of Object.entries(expected)) {
      const cudn = await eventually(`${name} NetworkCreated`, () => c.custom.getClusterCustomObject({ group: 'k8s.ovn.org', version: 'v1', plural: 'clusteruserdefinednetworks', name }), (x) => conditionStatus(x, 'NetworkCreated') === 'True');
      const cond = cudn.status.conditions.find((x: { type: string }) => x.type === 'NetworkCreated');
      assert.equal(cond.reason, 'NetworkAttachmentDefinitionCreated');
      assert.equal(cond.message, `NetworkAttachmentDefinition has been created in following namespaces: [${namespaces.join(', ')}]`);
      for (const namespace of namespaces) {
        const nad = await c.custom.getNamespacedCustomObject({ group: 'k8s.cni.cncf.io', version: 'v1', namespace, plural: 'network-attachment-definitions', name });
        assert.equal(nad.metadata.ownerReferences[0].kind, 'ClusterUserDefinedNetwork');
        assert.equal(nad.metadata.labels['k8s.ovn.org/user-defined-network'], '');
        const config = JSON.parse(nad.spec.config);
        assert.deepEqual([config.name, config.netAttachDefName, config.role, config.allowPersistentIPs], [`cluster.udn.${name}`, `${namespace}/${name}`, 'primary', true]);
      }
    }
  });

  it('the VMs take their addresses from their CUDN\'s one pool: red and blue from 203.203/16, green and yellow from 208.208/16, all distinct', async () => {
    const ips = Object.fromEntries(await Promise.all(Object.keys(VMS).map(async (vm) => [vm, await udnAddress(c, vm as keyof typeof VMS)])));
    assert.match(ips.red, /^203\.203\.0\.\d+$/);
    assert.match(ips.blue, /^203\.203\.0\.\d+$/);
    assert.match(ips.green, /^208\.208\.0\.\d+$/);
    assert.match(ips.yellow, /^208\.208\.0\.\d+$/);
    assert.notEqual(ips.red, ips.blue);
    assert.notEqual(ips.green, ips.yellow);
  });

  it('webapp: ClusterIP and NodePort from the API server, an ingress address from MetalLB\'s dev-env-bgp pool', () => {
    assert.match(webapp.spec!.clusterIP!, /^10\.96\.\d+\.\d+$/);
    const nodePort = webapp.spec!.ports![0]!.nodePort!;
    assert.ok(nodePort >= 30000 && nodePort <= 32767, `nodePort ${nodePort}`);
    assert.deepEqual(webapp.status!.loadBalancer!.ingress!.map((i) => ({ ...i })), [{ ip: '192.168.10.0', ipMode: 'VIP' }]);
    assert.equal(webapp.metadata!.annotations!['metallb.universe.tf/ip-allocated-from-pool'], 'dev-env-bgp');
  });

  it('kube-controller-manager\'s EndpointSlice names red\'s launcher pod (it carries the VMI\'s labels) at its default-network address', async () => {
    const discovery = c.kc.makeApiClient(DiscoveryV1Api);
    const slice = await eventually('webapp EndpointSlice', () => discovery.listNamespacedEndpointSlice({ namespace: 'red-namespace', labelSelector: 'kubernetes.io/service-name=webapp' }), (l) => (l.items[0]?.endpoints ?? []).length > 0);
    const launcher = (await c.core.listNamespacedPod({ namespace: 'red-namespace', labelSelector: 'vm.kubevirt.io/name=red' })).items[0]!;
    assert.equal(launcher.metadata!.labels!['app.kubernetes.io/name'], 'redvm');
    const endpoint = slice.items[0]!.endpoints[0]!;
    assert.equal(endpoint.targetRef?.name, launcher.metadata!.name);
    assert.deepEqual(endpoint.addresses, [launcher.status!.podIP]);
    assert.match(launcher.status!.podIP!, /^10\.244\.\d+\.\d+$/);
    assert.equal(slice.items[0]!.ports![0]!.port, 9000);
  });

  it('python3 -m http.server in red answers blue through the ClusterIP, the outside host through the node port and the ingress address; sad-tenant gets nothing', async () => {
    const red = await udnAddress(c, 'red');
    const clusterIP = webapp.spec!.clusterIP!;
    const nodePort = webapp.spec!.ports![0]!.nodePort!;
    const wrong = await withConsole(c.kc, ref('red'), login, (sh) => sh.exec(['python3', '-m', 'http.server', '--bind', '203.203.9.9', '9000'], 5_000));
    assert.equal(wrong.exitCode, 1);
    assert.match(wrong.output, /OSError: \[Errno 99\] Cannot assign requested address\n$/);

    const pid = await withConsole(c.kc, ref('red'), login, (sh) => sh.startBackground(['python3', '-m', 'http.server', '--bind', red, '9000'], '/tmp/http.log', 5_000));
    const fromBlue = await withConsole(c.kc, ref('blue'), login, async (sh) => ({
      service: await sh.exec(['curl', '-sS', '--connect-timeout', '2', `http://${clusterIP}:9000`], 5_000),
      direct: await sh.exec(['curl', '-sS', '--connect-timeout', '2', `http://${red}:9000/nothing-here`], 5_000),
    }));
    assert.equal(fromBlue.service.exitCode, 0);
    assert.match(fromBlue.service.output, LISTING);
    assert.match(fromBlue.direct.output, /<p>Error code: 404<\/p>/);
    const fromGreen = await withConsole(c.kc, ref('green'), login, (sh) => sh.exec(['curl', '-sS', '--connect-timeout', '2', `http://${clusterIP}:9000`], 5_000));
    assert.equal(fromGreen.exitCode, 28, fromGreen.output);

    const nodeIp = (await c.core.readNode({ name: 'ovn-worker' })).status!.addresses!.find((a) => a.type === 'InternalIP')!.address;
    const viaNodePort = await outsideExec(s.dir, ['curl', '-sS', `http://${nodeIp}:${nodePort}`], 10_000);
    const viaIngress = await outsideExec(s.dir, ['curl', '-sS', 'http://192.168.10.0:9000'], 10_000);
    const direct = await outsideExec(s.dir, ['curl', '-sS', '--connect-timeout', '1', `http://${red}:9000`], 10_000);
    const missing = await outsideExec(s.dir, ['wget', 'http://192.168.10.0:9000'], 10_000);
    assert.deepEqual([viaNodePort.exitCode, viaIngress.exitCode], [0, 0]);
    assert.match(viaNodePort.stdout, LISTING);
    assert.match(viaIngress.stdout, LISTING);
    assert.match(viaIngress.host, /outside host/);
    assert.equal(direct.exitCode, 28, 'UDN addresses are not routed from outside the cluster');
    assert.equal(missing.exitCode, 127);

    const [log, stopped] = await withConsole(c.kc, ref('red'), login, async (sh) => {
      const log = await sh.readFile('/tmp/http.log', 5_000);
      const alive = await sh.exec(['kill', '-0', String(pid)], 5_000);
      await sh.exec(['kill', String(pid)], 5_000);
      const gone = await sh.exec(['kill', '-0', String(pid)], 5_000);
      return [log, { alive: alive.exitCode, gone: gone.exitCode, message: gone.output }];
    });
    assert.match(log ?? '', new RegExp(`Serving HTTP on ${red.replaceAll('.', '\\.')} port 9000`));
    assert.match(log ?? '', /"GET \/ HTTP\/1\.1" 200 -/);
    assert.deepEqual(stopped, { alive: 0, gone: 1, message: `bash: kill: (${pid}) - No such process\n` });
    const afterKill = await outsideExec(s.dir, ['curl', '-sS', 'http://192.168.10.0:9000'], 10_000);
    assert.equal(afterKill.exitCode, 7, 'nothing listens once the server is killed: the reset comes back');
  });

  it("teardown removes what a run of the scenario leaves: its four namespaces, then both CUDNs (cluster-scoped, namespaces don't take them)", async () => {
    const { namespaces, clusterNetworks } = scenarioFootprint(CLUSTER_WIDE as Scenario);
    const noCluster = () => Promise.reject(new Error('not part of this teardown'));
    const provider = { key: (name: string) => `sandbox:${name}`, preflight: noCluster, ensure: noCluster, existing: noCluster, remove: noCluster, outsideExec: noCluster };
    const removed = await tearDown(provider, { cluster: { provider: 'sandbox', name: 'ovn', kubeconfigPath: s.kubeconfigPath! }, clusterName: 'ovn', namespaces, clusterNetworks, removeCluster: false });
    assert.deepEqual(removed, [...Object.values(VMS).map((ns) => `namespace ${ns}`), 'ClusterUserDefinedNetwork/sad-tenant', 'ClusterUserDefinedNetwork/happy-tenant']);
    const left = (await c.custom.listClusterCustomObject({ group: 'k8s.ovn.org', version: 'v1', plural: 'clusteruserdefinednetworks' })) as { items: unknown[] };
    assert.deepEqual(left.items, []);
  });
});

describe('sandbox: cluster-wide faults (metallbNoAddress, cudnLeak)', { timeout: 120_000 }, () => {
  let s: SandboxStatus;
  let c: Clients;
  before(async () => {
    const faultsFile = join(await mkdtemp(join(tmpdir(), 'udn-faults-')), 'faults.yaml');
    await writeFile(faultsFile, 'metallbNoAddress: true\ncudnLeak: true\n');
    ({ s, c } = await upWithTalk({ profile: 'instant', scale: 1, faultsFile }));
  });
  after(async () => {
    if (s) await sandboxDown(s.dir);
  });

  it('metallbNoAddress: webapp never gets an ingress address, and the outside host finds nobody at the pool\'s first', async () => {
    const svc = await eventually('webapp NodePort allocated', () => c.core.readNamespacedService({ name: 'webapp', namespace: 'red-namespace' }), (x) => Boolean(x.spec?.ports?.[0]?.nodePort));
    await new Promise((r) => setTimeout(r, 1_000));
    const again = await c.core.readNamespacedService({ name: 'webapp', namespace: 'red-namespace' });
    assert.deepEqual(again.status?.loadBalancer?.ingress ?? [], []);
    assert.equal(svc.metadata?.annotations?.['metallb.universe.tf/ip-allocated-from-pool'], undefined);
    const r = await outsideExec(s.dir, ['curl', '-sS', '--connect-timeout', '1', 'http://192.168.10.0:9000'], 10_000);
    assert.equal(r.exitCode, 28);
  });

  it('a CUDN selecting a namespace without the primary-network label: no NAD there, NetworkCreated False as upstream says', async () => {
    await c.core.createNamespace({ body: { metadata: { name: 'unlabelled' } } });
    await c.core.createNamespace({ body: { metadata: { name: 'labelled', labels: { 'k8s.ovn.org/primary-user-defined-network': '' } } } });
    const spec = { namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['unlabelled', 'labelled'] }] }, network: { topology: 'Layer2', layer2: { role: 'Primary', subnets: ['10.200.0.0/16'] } } };
    await c.custom.createClusterCustomObject({ group: 'k8s.ovn.org', version: 'v1', plural: 'clusteruserdefinednetworks', body: { apiVersion: 'k8s.ovn.org/v1', kind: 'ClusterUserDefinedNetwork', metadata: { name: 'half' }, spec } });
    const cudn = await eventually('half NetworkCreated', () => c.custom.getClusterCustomObject({ group: 'k8s.ovn.org', version: 'v1', plural: 'clusteruserdefinednetworks', name: 'half' }), (x) => conditionStatus(x, 'NetworkCreated') !== undefined);
    const cond = cudn.status.conditions.find((x: { type: string }) => x.type === 'NetworkCreated');
    assert.deepEqual([cond.status, cond.reason], ['False', 'NetworkAttachmentDefinitionSyncError']);
    assert.equal(cond.message, 'invalid primary network state for namespace "unlabelled": a valid primary user defined network or network attachment definition custom resource, and required namespace label "k8s.ovn.org/primary-user-defined-network" must both be present');
    const nads = async (namespace: string) => (await c.custom.listNamespacedCustomObject({ group: 'k8s.cni.cncf.io', version: 'v1', namespace, plural: 'network-attachment-definitions' })).items.length;
    assert.deepEqual([await nads('labelled'), await nads('unlabelled')], [1, 0]);
  });

  it('cudnLeak: red pings green across the two CUDNs, through the cluster router', async () => {
    const green = await udnAddress(c, 'green');
    const r = await withConsole(c.kc, ref('red'), login, (sh) => sh.exec(['ping', '-c', '1', '-W', '1', green], 5_000));
    assert.equal(r.exitCode, 0, r.output);
    assert.match(r.output, /ttl=63/);
  });
});
