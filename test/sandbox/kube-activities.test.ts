import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { applyManifests } from '../../src/activities/kubernetes.ts';
import { discover } from '../../src/cluster/addresses.ts';
import { applyObjects, deleteObjects } from '../../src/cluster/apply.ts';
import { kubeConfigFor } from '../../src/cluster/kube.ts';
import { migrate } from '../../src/cluster/migrate.ts';
import { renderBundle } from '../../src/cluster/manifests.ts';
import { WaitTimeout, waitUntilReady } from '../../src/cluster/wait.ts';
import { configSchema } from '../../src/config/schema.ts';
import { sandboxDown, type EmulationOptions, type SandboxStatus } from '../../src/sandbox/index.ts';
import { clientsFor, eventually, freshSandbox } from '../helpers/sandbox.ts';

const scenario = configSchema.parse({}).scenario;
const greenTargets = [
  { kind: 'UserDefinedNetwork' as const, namespace: 'green', name: 'namespace-scoped' },
  { kind: 'Pod' as const, namespace: 'green', name: 'webserver' },
  { kind: 'VirtualMachineInstance' as const, namespace: 'green', name: 'vm-a' },
  { kind: 'VirtualMachineInstance' as const, namespace: 'green', name: 'vm-b' },
];

async function sandboxWithFaults(faults: string, emulation: Omit<EmulationOptions, 'faultsFile'>): Promise<SandboxStatus> {
  const faultsFile = join(await mkdtemp(join(tmpdir(), 'udn-faults-')), 'faults.yaml');
  await writeFile(faultsFile, faults);
  return freshSandbox({ ...emulation, faultsFile });
}

async function rollOutGreen(s: SandboxStatus) {
  const kc = kubeConfigFor({ provider: 'sandbox', name: 't', kubeconfigPath: s.kubeconfigPath! });
  const first = [...(await applyObjects(kc, await renderBundle('green-network', scenario))), ...(await applyObjects(kc, await renderBundle('green-workloads', scenario)))];
  return { kc, first };
}

describe('Kubernetes activities against the sandbox', { timeout: 180_000 }, () => {
  const sandboxes: SandboxStatus[] = [];
  after(async () => {
    for (const s of sandboxes) await sandboxDown(s.dir);
  });

  it('apply is idempotent, waits on watches, and discovery reads the UDN addresses', async () => {
    const s = await freshSandbox();
    sandboxes.push(s);
    const { kc, first } = await rollOutGreen(s);
    assert.deepEqual(first.map((o) => `${o.kind}/${o.name}:${o.action}`), ['Namespace/green:created', 'UserDefinedNetwork/namespace-scoped:created', 'Pod/webserver:created', 'VirtualMachine/vm-a:created', 'VirtualMachine/vm-b:created']);
    const again = [...(await applyObjects(kc, await renderBundle('green-network', scenario))), ...(await applyObjects(kc, await renderBundle('green-workloads', scenario)))];
    assert.ok(again.every((o) => o.action === 'unchanged'), JSON.stringify(again));
    const ready = await waitUntilReady(kc, greenTargets, 30_000, () => undefined);
    assert.equal(ready.length, 4);
    const inventory = await discover(kc, [
      { namespace: 'green', kind: 'Pod', name: 'webserver' },
      { namespace: 'green', kind: 'VirtualMachineInstance', name: 'vm-b' },
    ]);
    assert.equal(inventory[0]!.node, 'ovn-worker');
    assert.match(inventory[0]!.udnIP, /^203\.203\./);
    assert.match(inventory[1]!.udnIP, /^203\.203\./);

    // Cleanup deletes the same objects, and a second delete is a no-op.
    const workloads = await renderBundle('green-workloads', scenario);
    assert.deepEqual(await deleteObjects(kc, workloads), ['VirtualMachine/green/vm-b', 'VirtualMachine/green/vm-a', 'Pod/green/webserver']);
    await eventually('green workloads gone', () => clientsFor(s.kubeconfigPath!).core.listNamespacedPod({ namespace: 'green' }), (l) => !l.items.some((p) => p.metadata?.name === 'webserver'));
    assert.deepEqual(await deleteObjects(kc, workloads), []);
  });

  it("the tenant bundle is green's shape in the tenant's namespace and subnet, and clears a demo run's later phases there", async () => {
    const s = await freshSandbox();
    sandboxes.push(s);
    const cluster = { provider: 'sandbox' as const, name: 't', kubeconfigPath: s.kubeconfigPath! };
    const tenant = { ...scenario, green: { namespace: 'tenant-07', subnet: '10.7.0.0/16' } };
    const first = await applyManifests({ cluster, bundle: 'tenant', scenario: tenant });
    assert.deepEqual(first.objects.map((o) => `${o.kind}/${o.namespace ?? ''}/${o.name}:${o.action}`), [
      'Namespace//tenant-07:created',
      'UserDefinedNetwork/tenant-07/namespace-scoped:created',
      'Pod/tenant-07/webserver:created',
      'VirtualMachine/tenant-07/vm-a:created',
      'VirtualMachine/tenant-07/vm-b:created',
    ]);
    const udn = await clientsFor(s.kubeconfigPath!).custom.getNamespacedCustomObject({ group: 'k8s.ovn.org', version: 'v1', namespace: 'tenant-07', plural: 'userdefinednetworks', name: 'namespace-scoped' });
    assert.deepEqual(udn.spec.layer2.subnets, ['10.7.0.0/16']);
    // What a demo run's later phases leave in the namespace: its policy would decide the tenant's checks.
    const kc = kubeConfigFor(cluster);
    await applyObjects(kc, [...(await renderBundle('netpol', tenant)), ...(await renderBundle('new-webserver', tenant))]);
    const again = await applyManifests({ cluster, bundle: 'tenant', scenario: tenant });
    const changed = again.objects.filter((o) => o.action !== 'unchanged').map((o) => `${o.kind}/${o.namespace}/${o.name}:${o.action}`);
    assert.deepEqual(changed.sort(), ['NetworkPolicy/tenant-07/ingress-port-9001-only:deleted', 'Pod/tenant-07/new-webserver:deleted']);
    // A change of ours is one, whatever the VM's controller wrote meanwhile.
    const vmA = (await renderBundle('tenant', tenant)).find((o) => o.kind === 'VirtualMachine' && o.metadata?.name === 'vm-a')!;
    vmA.metadata!.labels = { ...vmA.metadata!.labels, 'udn-demo.test/changed': 'yes' };
    assert.deepEqual((await applyObjects(kc, [vmA])).map((o) => o.action), ['configured']);
    assert.deepEqual((await applyObjects(kc, [vmA])).map((o) => o.action), ['unchanged']);
  });

  it('a wait that times out says which object is not ready and why', async () => {
    const s = await sandboxWithFaults('vmiNeverReady: [green/vm-b]\n', { profile: 'instant', scale: 1 });
    sandboxes.push(s);
    const { kc } = await rollOutGreen(s);
    const progress: string[][] = [];
    const err = await waitUntilReady(kc, greenTargets, 3_000, (p) => progress.push(p)).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof WaitTimeout, String(err));
    assert.equal(err.message, 'not ready after 3 s: green/vm-b: VMI phase Scheduled, Ready=False (GuestNotRunning: emulated fault: the guest never comes up)');
    assert.ok(progress.length > 0, 'progress was reported while waiting');
  });

  it('a watch the API server closes is reopened, and the wait still ends when the objects are ready', async () => {
    // VMs take ~2.5 s to boot; every watch is cut after 0.5 s.
    const s = await sandboxWithFaults('closeWatchesAfterSeconds: 0.5\n', { profile: 'realistic', scale: 0.1 });
    sandboxes.push(s);
    const { kc } = await rollOutGreen(s);
    const ready = await waitUntilReady(kc, greenTargets, 30_000, () => undefined);
    assert.equal(ready.length, 4);
    const log = await readFile(join(s.dir, 'logs', 'supervisor.log'), 'utf8');
    assert.ok((log.match(/fault: closed watch/g) ?? []).length >= 2, 'the proxy did close watches during the wait');
  });

  it('migration: a retried attempt follows the migration it already created; the VMI keeps its address', async () => {
    const s = await freshSandbox({ profile: 'realistic', scale: 0.1 });
    sandboxes.push(s);
    const { kc } = await rollOutGreen(s);
    await waitUntilReady(kc, greenTargets, 30_000, () => undefined);
    const vmB = { namespace: 'green', kind: 'VirtualMachineInstance' as const, name: 'vm-b' };
    const lines: string[] = [];
    // Two attempts at once with the same name stand for an attempt and its retry after a crash.
    const [first, second] = await Promise.all([
      migrate(kc, vmB, 'demo-1-live-migration', 60_000, (l) => lines.push(l)),
      new Promise((r) => setTimeout(r, 300)).then(() => migrate(kc, vmB, 'demo-1-live-migration', 60_000, (l) => lines.push(l))),
    ]);
    assert.deepEqual(second, first);
    assert.notEqual(first.targetNode, first.sourceNode);
    assert.equal(first.addressAfter, first.addressBefore);
    assert.match(first.addressBefore, /^203\.203\./);
    assert.ok(Date.parse(first.endedAt) >= Date.parse(first.startedAt));
    assert.ok(lines.some((l) => /found migration green\/demo-1-live-migration from an earlier attempt/.test(l)), lines.join('\n'));
    const migrations = await clientsFor(s.kubeconfigPath!).custom.listNamespacedCustomObject({ group: 'kubevirt.io', version: 'v1', namespace: 'green', plural: 'virtualmachineinstancemigrations' });
    assert.equal(migrations.items.length, 1, 'one migration, not two');
    const again = await migrate(kc, vmB, 'demo-1-live-migration', 10_000, () => undefined);
    assert.deepEqual(again, first, 'a retry after completion returns the same record at once');
  });

  it('migration: a failed migration is reported as such, with its reason', async () => {
    const s = await sandboxWithFaults('migrationFails: [green/vm-a]\n', { profile: 'instant', scale: 1 });
    sandboxes.push(s);
    const { kc } = await rollOutGreen(s);
    await waitUntilReady(kc, greenTargets, 30_000, () => undefined);
    await assert.rejects(migrate(kc, { namespace: 'green', kind: 'VirtualMachineInstance', name: 'vm-a' }, 'doomed', 30_000, () => undefined), (err: Error) => err.name === 'MigrationFailed' && /migration green\/doomed failed: emulated fault: the migration failed/.test(err.message));
  });
});
