import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { sandboxDown, type SandboxStatus } from '../../src/sandbox/index.ts';
import { clientsFor, conditionStatus, createFromFile, createObject, eventually, freshSandbox, udn, vmi, type Clients } from '../helpers/sandbox.ts';

const manifest = (name: string) => fileURLToPath(new URL(`../../manifests/ns-isolation/${name}`, import.meta.url));
const inRange = (prefix: string) => (ip: unknown) => typeof ip === 'string' && ip.startsWith(prefix);

/** The talk's manifests against the real API server, with the emulators behind it. */
describe("sandbox: the talk's manifests on a real API server with emulated OVN-Kubernetes, KubeVirt and kubelets", { timeout: 180_000 }, () => {
  let sandbox: SandboxStatus;
  let c: Clients;
  before(async () => {
    sandbox = await freshSandbox();
    c = clientsFor(sandbox.kubeconfigPath!);
  });
  after(async () => {
    if (sandbox) await sandboxDown(sandbox.dir);
  });

  it('serves kind-like Ready nodes', async () => {
    const nodes = await eventually('nodes Ready', () => c.core.listNode(), (l) => l.items.length === 3 && l.items.every((n) => n.status?.conditions?.some((x) => x.type === 'Ready' && x.status === 'True')));
    assert.deepEqual(nodes.items.map((n) => n.metadata?.name).sort(), ['ovn-control-plane', 'ovn-worker', 'ovn-worker2']);
  });

  it('rejects a misspelled field, as a real cluster does (spec.layer2.subnet)', async () => {
    await createObject(c, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'typo', labels: { 'k8s.ovn.org/primary-user-defined-network': '' } } } as never);
    const bad = { apiVersion: 'k8s.ovn.org/v1', kind: 'UserDefinedNetwork', metadata: { name: 'n', namespace: 'typo' }, spec: { topology: 'Layer2', layer2: { role: 'Primary', subnet: ['10.1.0.0/16'] } } };
    await assert.rejects(createObject(c, bad as never), (err: { code?: number; body?: string }) => err.code === 400 && /unknown field \\?"spec\.layer2\.subnet\\?"/.test(String(err.body)));
  });

  it('green: UDN NetworkCreated, webserver Running with the talk-format network-status, VMIs Running on the UDN', async () => {
    await createFromFile(c, manifest('01-namespace-isolation-l2-persistent.yaml'));
    await createFromFile(c, manifest('02-namespace-isolation-workloads.yaml'));
    const network = await eventually('UDN ready', () => udn(c, 'green', 'namespace-scoped'), (u) => conditionStatus(u, 'NetworkCreated') === 'True');
    assert.equal(conditionStatus(network, 'NetworkAllocationSucceeded'), 'True');
    assert.equal(network.status.conditions.find((x: { type: string }) => x.type === 'NetworkCreated').reason, 'NetworkAttachmentDefinitionCreated');
    const nad = await c.custom.getNamespacedCustomObject({ group: 'k8s.cni.cncf.io', version: 'v1', namespace: 'green', plural: 'network-attachment-definitions', name: 'namespace-scoped' });
    assert.equal(JSON.parse(nad.spec.config).subnets, '203.203.0.0/16');

    const pod = await eventually('webserver Running', () => c.core.readNamespacedPod({ name: 'webserver', namespace: 'green' }), (p) => p.status?.phase === 'Running');
    assert.equal(pod.spec?.nodeName, 'ovn-worker');
    const status = JSON.parse(pod.metadata!.annotations!['k8s.v1.cni.cncf.io/network-status']!);
    assert.deepEqual(status.map((e: { interface: string }) => e.interface), ['eth0', 'ovn-udn1']);
    assert.ok(inRange('10.244.1.')(status[0].ips[0]), 'eth0 on the default network of ovn-worker');
    assert.ok(inRange('203.203.')(status[1].ips[0]), 'ovn-udn1 on the UDN');
    assert.equal(status[1].default, true);
    assert.equal(pod.status?.podIP, status[0].ips[0], 'status.podIP is the default-network address, not the UDN one');

    for (const name of ['vm-a', 'vm-b']) {
      const v = await eventually(`${name} Running`, () => vmi(c, 'green', name), (x) => x.status?.phase === 'Running' && conditionStatus(x, 'AgentConnected') === 'True');
      assert.equal(conditionStatus(v, 'Ready'), 'True');
      assert.equal(conditionStatus(v, 'LiveMigratable'), 'True');
      assert.ok(inRange('203.203.')(v.status.interfaces[0].ipAddress), JSON.stringify(v.status.interfaces));
      assert.match(v.status.nodeName, /^ovn-worker2?$/);
    }
    const addresses = new Set([status[1].ips[0], (await vmi(c, 'green', 'vm-a')).status.interfaces[0].ipAddress, (await vmi(c, 'green', 'vm-b')).status.interfaces[0].ipAddress]);
    assert.equal(addresses.size, 3, 'every workload has its own UDN address');
  });

  it('blue: its own UDN in 192.168.0.0/16', async () => {
    await createFromFile(c, manifest('03-namespace-isolation-another-ns-l2-persistent.yaml'));
    await createFromFile(c, manifest('04-namespace-isolation-another-ns-workloads.yaml'));
    const v = await eventually('blue vm-a Running', () => vmi(c, 'blue', 'vm-a'), (x) => x.status?.phase === 'Running');
    assert.ok(inRange('192.168.')(v.status.interfaces[0].ipAddress));
  });

  it('live migration moves vm-b to the other worker; it keeps its address and the source pod completes', async () => {
    const before = await vmi(c, 'green', 'vm-b');
    await createObject(c, { apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachineInstanceMigration', metadata: { name: 'migrate-vm-b', namespace: 'green' }, spec: { vmiName: 'vm-b' } } as never);
    const m = await eventually('migration Succeeded', () => c.custom.getNamespacedCustomObject({ group: 'kubevirt.io', version: 'v1', namespace: 'green', plural: 'virtualmachineinstancemigrations', name: 'migrate-vm-b' }), (x: any) => ['Succeeded', 'Failed'].includes(x.status?.phase));
    assert.equal(m.status.phase, 'Succeeded');
    assert.deepEqual(m.status.phaseTransitionTimestamps.map((t: { phase: string }) => t.phase), ['Pending', 'Scheduling', 'Scheduled', 'PreparingTarget', 'TargetReady', 'Running', 'Succeeded']);
    const after = await vmi(c, 'green', 'vm-b');
    const state = after.status.migrationState;
    assert.equal(state.sourceNode, before.status.nodeName);
    assert.equal(state.targetNode, after.status.nodeName);
    assert.notEqual(after.status.nodeName, before.status.nodeName);
    assert.equal(state.completed, true);
    assert.equal(state.failed, false);
    assert.ok(Date.parse(state.endTimestamp) >= Date.parse(state.startTimestamp));
    assert.equal(after.status.interfaces[0].ipAddress, before.status.interfaces[0].ipAddress, 'Persistent IPAM: same address after migration');
    const source = await c.core.readNamespacedPod({ name: state.sourcePod, namespace: 'green' });
    assert.equal(source.status?.phase, 'Succeeded');
    const target = await c.core.readNamespacedPod({ name: state.targetPod, namespace: 'green' });
    assert.equal(target.spec?.nodeName, after.status.nodeName);
  });

  it('enforces the primary-network namespace label: a primary UDN in an unlabelled namespace fails to render', async () => {
    await createObject(c, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'unlabelled' } } as never);
    await createObject(c, { apiVersion: 'k8s.ovn.org/v1', kind: 'UserDefinedNetwork', metadata: { name: 'net', namespace: 'unlabelled' }, spec: { topology: 'Layer2', layer2: { role: 'Primary', subnets: ['10.10.0.0/16'] } } } as never);
    const u = await eventually('UDN condition', () => udn(c, 'unlabelled', 'net'), (x) => conditionStatus(x, 'NetworkCreated') !== undefined);
    assert.equal(conditionStatus(u, 'NetworkCreated'), 'False');
    assert.match(u.status.conditions[0].message, /required namespace label "k8s\.ovn\.org\/primary-user-defined-network"/);
  });

  it('deleting a namespace removes its workloads (kube-controller-manager and the kubelet emulator)', async () => {
    await c.core.deleteNamespace({ name: 'blue' });
    await eventually('blue gone', () => c.core.listNamespace(), (l) => !l.items.some((n) => n.metadata?.name === 'blue'), 60_000);
  });
});
