import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CoreV1Api, CustomObjectsApi, NetworkingV1Api, type KubeConfig } from '@kubernetes/client-node';
import { discover, podUdnAddress } from '../../src/cluster/addresses.ts';
import { applyObjects } from '../../src/cluster/apply.ts';
import { withConsole, type ConsoleOptions } from '../../src/cluster/console/sessions.ts';
import type { GuestShell } from '../../src/cluster/console/guest-shell.ts';
import { kubeConfigFor } from '../../src/cluster/kube.ts';
import { renderBundle } from '../../src/cluster/manifests.ts';
import { migrate } from '../../src/cluster/migrate.ts';
import { waitUntilReady } from '../../src/cluster/wait.ts';
import { configSchema } from '../../src/config/schema.ts';
import type { WorkloadRef } from '../../src/model/workload.ts';
import { sandboxDown, type SandboxStatus } from '../../src/sandbox/index.ts';
import { freshSandbox } from '../helpers/sandbox.ts';

const scenario = configSchema.parse({}).scenario;
const green = (name: string): WorkloadRef => ({ namespace: 'green', kind: 'VirtualMachineInstance', name });
const blueVmA: WorkloadRef = { namespace: 'blue', kind: 'VirtualMachineInstance', name: 'vm-a' };
const webserver: WorkloadRef = { namespace: 'green', kind: 'Pod', name: 'webserver' };
const newWebserver: WorkloadRef = { namespace: 'green', kind: 'Pod', name: 'new-webserver' };
const login: ConsoleOptions = { credentials: { user: 'fedora', password: 'fedora' }, connectTimeoutMs: 10_000, loginTimeoutMs: 10_000, reconnects: 1 };

/**
 * The network faults, each making a demo check fail for the reason it would on a broken cluster,
 * all in one sandbox (realistic timings ×0.1): each test looks at its own fault's effect only.
 */
describe('sandbox network faults', { timeout: 240_000 }, () => {
  let s: SandboxStatus;
  let kc: KubeConfig;
  const on = <T>(vm: WorkloadRef, work: (sh: GuestShell) => Promise<T>) => withConsole(kc, vm, login, work);
  const address = async (w: WorkloadRef) => (await discover(kc, [w]))[0]!.udnIP;

  before(async () => {
    const faultsFile = join(await mkdtemp(join(tmpdir(), 'udn-faults-')), 'faults.yaml');
    await writeFile(
      faultsFile,
      ['tcpResetOnMigration: true', 'ipChangesOnMigration: true', 'isolationLeak: true', 'networkPolicyIgnored: true', 'egressBlocked: true', 'webserverHostname: imposter', 'vmMtu: 1500', ''].join('\n'),
    );
    s = await freshSandbox({ profile: 'realistic', scale: 0.1, faultsFile });
    kc = kubeConfigFor({ provider: 'sandbox', name: 't', kubeconfigPath: s.kubeconfigPath! });
    for (const b of ['green-network', 'green-workloads', 'new-webserver', 'blue'] as const) await applyObjects(kc, await renderBundle(b, scenario));
    await waitUntilReady(kc, [green('vm-a'), green('vm-b'), blueVmA, webserver, newWebserver].map((w) => ({ kind: w.kind, namespace: w.namespace, name: w.name })), 120_000, () => undefined);
  });
  after(async () => {
    if (s) await sandboxDown(s.dir);
  });

  it('vmMtu: the guest shows eth0 with that MTU, in `ip -j addr show` and `ip a`', async () => {
    const [json, text] = await on(green('vm-a'), async (sh) => [await sh.exec(['ip', '-j', 'addr', 'show'], 5_000), await sh.exec(['ip', 'a'], 5_000)]);
    const eth0 = (JSON.parse(json!.output) as { ifname: string; mtu: number }[]).find((l) => l.ifname === 'eth0');
    assert.equal(eth0?.mtu, 1500);
    assert.match(text!.output, /^2: eth0: .* mtu 1500 /m);
  });

  it('isolationLeak: blue vm-a pings green vm-a, and green vm-a blue vm-a', async () => {
    const [greenIp, blueIp] = [await address(green('vm-a')), await address(blueVmA)];
    const fromBlue = await on(blueVmA, (sh) => sh.exec(['ping', '-c', '2', '-W', '1', greenIp], 10_000));
    assert.match(fromBlue.output, /2 packets transmitted, 2 received/);
    const fromGreen = await on(green('vm-a'), (sh) => sh.exec(['ping', '-c', '2', '-W', '1', blueIp], 10_000));
    assert.match(fromGreen.output, /2 packets transmitted, 2 received/);
  });

  it('egressBlocked: the egress host is unreachable, the neighbour VM is not', async () => {
    const vmB = await address(green('vm-b'));
    const [out, inside] = await on(green('vm-a'), async (sh) => [await sh.exec(['ping', '-c', '2', '-W', '1', 'www.google.com'], 10_000), await sh.exec(['ping', '-c', '2', '-W', '1', vmB], 10_000)]);
    assert.equal(out!.exitCode, 1);
    assert.match(out!.output, /2 packets transmitted, 0 received, 100% packet loss/);
    assert.match(inside!.output, /2 packets transmitted, 2 received/);
  });

  it("webserverHostname: the webserver answers /hostname with the fault's name; new-webserver with its own", async () => {
    const [web, other] = [await address(webserver), await address(newWebserver)];
    const [r, own] = await on(green('vm-a'), async (sh) => [
      await sh.exec(['curl', '-sS', '--connect-timeout', '2', `http://${web}:${scenario.webserverPort}/hostname`], 10_000),
      await sh.exec(['curl', '-sS', '--connect-timeout', '2', `http://${other}:${scenario.newWebserverPort}/hostname`], 10_000),
    ]);
    assert.deepEqual([r!.output, r!.exitCode], ['imposter', 0]);
    assert.deepEqual([own!.output, own!.exitCode], ['new-webserver', 0]);
  });

  it('networkPolicyIgnored: a deny-all policy, long programmed, stops nothing', async () => {
    const net = kc.makeApiClient(NetworkingV1Api);
    await net.createNamespacedNetworkPolicy({ namespace: 'green', body: { metadata: { name: 'deny-all' }, spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [] } } });
    // Programming takes ~0.2 s at this scale; a second is well past it.
    await new Promise((r) => setTimeout(r, 1_000));
    const ip = await address(webserver);
    const r = await on(green('vm-a'), (sh) => sh.exec(['curl', '-sS', '--connect-timeout', '2', '-o', '/dev/null', '-w', '%{http_code}', `http://${ip}:${scenario.webserverPort}/`], 10_000));
    assert.deepEqual([r.output, r.exitCode], ['200', 0]);
    await net.deleteNamespacedNetworkPolicy({ namespace: 'green', name: 'deny-all' });
  });

  it('tcpResetOnMigration and ipChangesOnMigration: iperf3 across the migration is reset; the VM comes up with a new address', async () => {
    const before = await address(green('vm-b'));
    await on(green('vm-b'), (sh) => sh.startBackground(['iperf3', '-s', '-p', '9500', '-1'], '/tmp/iperf3-server.log', 5_000));
    await on(green('vm-a'), (sh) => sh.startBackground(['iperf3', '-c', before, '-p', '9500', '-t', '60', '-i', '0.5', '--json'], '/tmp/iperf3.json', 5_000));
    const record = await migrate(kc, green('vm-b'), 'faults-test', 60_000, () => undefined);
    assert.equal(record.addressBefore, before);
    assert.notEqual(record.addressAfter, before, 'IPAM gave the target pod a new address');
    const vmi = await kc.makeApiClient(CustomObjectsApi).getNamespacedCustomObject({ group: 'kubevirt.io', version: 'v1', namespace: 'green', plural: 'virtualmachineinstances', name: 'vm-b' });
    const target = await kc.makeApiClient(CoreV1Api).readNamespacedPod({ namespace: 'green', name: vmi.status.migrationState.targetPod });
    assert.equal(podUdnAddress(target), record.addressAfter, "the target pod's network-status shows it");
    const shown = await on(green('vm-b'), (sh) => sh.exec(['ip', '-j', 'addr', 'show', 'eth0'], 5_000));
    assert.equal((JSON.parse(shown.output) as { addr_info: { family: string; local: string }[] }[])[0]!.addr_info.find((a) => a.family === 'inet')?.local, record.addressAfter);

    const doc = await on(green('vm-a'), async (sh) => {
      for (;;) {
        const out = await sh.exec(['cat', '/tmp/iperf3.json'], 10_000);
        if (out.output.trimEnd().endsWith('}')) return JSON.parse(out.output) as { intervals: unknown[]; error?: string };
        await new Promise((r) => setTimeout(r, 300));
      }
    });
    assert.equal(doc.error, 'unable to receive control message: Connection reset by peer');
    assert.ok(doc.intervals.length > 0 && doc.intervals.length < 120, `${doc.intervals.length} intervals before the reset`);
  });
});
