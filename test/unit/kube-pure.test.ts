import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { podUdnAddress, vmiUdnAddress } from '../../src/cluster/addresses.ts';
import { renderBundle } from '../../src/cluster/manifests.ts';
import { readiness } from '../../src/cluster/readiness.ts';
import { configSchema } from '../../src/config/schema.ts';

/** The talk's own `kubectl get pods -ngreen webserver` annotation, verbatim. */
const TALK_NETWORK_STATUS = `[
  { "name": "ovn-kubernetes", "interface": "eth0", "ips": [ "10.244.1.10" ], "mac": "0a:58:0a:f4:01:0a", "dns": {} },
  { "name": "ovn-kubernetes", "interface": "ovn-udn1", "ips": [ "203.203.0.4" ], "mac": "0a:58:cb:cb:00:04", "default": true, "dns": {} }
]`;

describe("address discovery on the talk's format", () => {
  it('takes the pod address from the entry marked default, not eth0', () => {
    assert.equal(podUdnAddress({ metadata: { annotations: { 'k8s.v1.cni.cncf.io/network-status': TALK_NETWORK_STATUS } } }), '203.203.0.4');
    assert.equal(podUdnAddress({ metadata: { annotations: {} } }), undefined);
  });
  it('takes the VMI address from status.interfaces, skipping link-local', () => {
    assert.equal(vmiUdnAddress({ status: { interfaces: [{ ipAddress: 'fe80::858:cbff:fecb:5', ipAddresses: ['fe80::858:cbff:fecb:5', '203.203.0.5'] }] } }), '203.203.0.5');
    assert.equal(vmiUdnAddress({ status: { interfaces: [{ ipAddress: '169.254.1.2' }] } }), undefined);
    assert.equal(vmiUdnAddress({ status: {} }), undefined);
  });
});

describe('readiness verdicts say why', () => {
  it('a VMI still scheduling names its phase and the Ready reason', () => {
    const v = readiness({ kind: 'VirtualMachineInstance', namespace: 'green', name: 'vm-b' }, { status: { phase: 'Scheduling', conditions: [{ type: 'Ready', status: 'False', reason: 'GuestNotRunning', message: 'guest is booting' }] } });
    assert.deepEqual(v, { ready: false, why: 'green/vm-b: VMI phase Scheduling, Ready=False (GuestNotRunning: guest is booting)' });
  });
  it('AgentConnected counts only when asked for', () => {
    const vmi = { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } };
    assert.equal(readiness({ kind: 'VirtualMachineInstance', namespace: 'g', name: 'v' }, vmi).ready, true);
    assert.equal(readiness({ kind: 'VirtualMachineInstance', namespace: 'g', name: 'v', agentConnected: true }, vmi).ready, false);
  });
  it('a UDN needs both conditions; a missing object says so', () => {
    const udn = { status: { conditions: [{ type: 'NetworkCreated', status: 'True' }] } };
    assert.deepEqual(readiness({ kind: 'UserDefinedNetwork', namespace: 'green', name: 'n' }, udn), { ready: false, why: 'green/n: UDN NetworkCreated=True, NetworkAllocationSucceeded not reported' });
    assert.equal(readiness({ kind: 'Pod', namespace: 'green', name: 'p' }, undefined).why, 'green/p: Pod not found yet');
  });
});

describe('manifests with config overrides', () => {
  it("the defaults reproduce the talk's demo script", async () => {
    const [ns, udn] = await renderBundle('green-network', configSchema.parse({}).scenario);
    assert.equal(ns!.metadata!.name, 'green');
    assert.deepEqual((udn as any).spec.layer2, { role: 'Primary', subnets: ['203.203.0.0/16'], ipam: { lifecycle: 'Persistent' } });
  });
  it('overrides edit the parsed objects: namespaces, subnets, ports, images, node', async () => {
    const s = configSchema.parse({
      scenario: { green: { namespace: 'emerald', subnet: '10.50.0.0/16' }, blue: { namespace: 'navy', subnet: '10.60.0.0/16' }, webserverPort: 8080, newWebserverPort: 8081, webserverNode: 'ovn-worker2', images: { agnhost: 'mirror/agnhost:2.45', containerDisk: 'mirror/fedora:1' } },
    }).scenario;
    const workloads = await renderBundle('green-workloads', s);
    const pod = workloads.find((o) => o.kind === 'Pod') as any;
    assert.equal(pod.metadata.namespace, 'emerald');
    assert.equal(pod.spec.nodeName, 'ovn-worker2');
    assert.deepEqual(pod.spec.containers[0].args, ['netexec', '--http-port', '8080']);
    assert.equal(pod.spec.containers[0].image, 'mirror/agnhost:2.45');
    const vm = workloads.find((o) => o.kind === 'VirtualMachine') as any;
    assert.equal(vm.spec.template.spec.volumes.find((v: any) => v.containerDisk).containerDisk.image, 'mirror/fedora:1');
    const blue = await renderBundle('blue', s);
    assert.deepEqual(blue.map((o) => o.metadata!.namespace ?? o.metadata!.name), ['navy', 'navy', 'navy']);
    assert.deepEqual((blue[1] as any).spec.layer2.subnets, ['10.60.0.0/16']);
    const [policy] = await renderBundle('netpol', s);
    assert.equal((policy as any).spec.ingress[0].ports[0].port, 8081);
  });
});
