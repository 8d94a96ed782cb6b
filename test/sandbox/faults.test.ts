import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Watch } from '@kubernetes/client-node';
import { sandboxDown, type SandboxStatus } from '../../src/sandbox/index.ts';
import { clientsFor, conditionStatus, createFromFile, createObject, eventually, freshSandbox, vmi, type Clients } from '../helpers/sandbox.ts';

const manifest = (name: string) => fileURLToPath(new URL(`../../manifests/ns-isolation/${name}`, import.meta.url));

describe('sandbox fault injection', { timeout: 120_000 }, () => {
  let sandbox: SandboxStatus;
  let c: Clients;
  before(async () => {
    const faultsFile = join(await mkdtemp(join(tmpdir(), 'udn-faults-')), 'faults.yaml');
    await writeFile(
      faultsFile,
      [
        'vmiNeverReady: [green/vm-b]',
        'migrationFails: [green/vm-a]',
        'podNeverReady: [green/webserver]',
        'apiErrors:',
        '  - { resource: configmaps, verb: create, namespace: green, times: 2, code: 500, message: \'Internal error occurred: failed calling webhook "x.example.io"\' }',
        '',
      ].join('\n'),
    );
    sandbox = await freshSandbox({ profile: 'instant', scale: 1, faultsFile });
    c = clientsFor(sandbox.kubeconfigPath!);
    await createFromFile(c, manifest('01-namespace-isolation-l2-persistent.yaml'));
    await createFromFile(c, manifest('02-namespace-isolation-workloads.yaml'));
  });
  after(async () => {
    if (sandbox) await sandboxDown(sandbox.dir);
  });

  it('a VMI that never becomes Ready stays Scheduled with the reason, while its sibling runs', async () => {
    await eventually('vm-a Running', () => vmi(c, 'green', 'vm-a'), (x) => x.status?.phase === 'Running');
    const stuck = await eventually('vm-b Ready=False', () => vmi(c, 'green', 'vm-b'), (x) => conditionStatus(x, 'Ready') === 'False');
    assert.equal(stuck.status.phase, 'Scheduled');
    assert.equal(stuck.status.conditions.find((x: { type: string }) => x.type === 'Ready').reason, 'GuestNotRunning');
    await sleep(500);
    assert.equal((await vmi(c, 'green', 'vm-b')).status.phase, 'Scheduled', 'and it stays there');
  });

  it('a pod that never becomes ready stays Pending (with its network plumbed)', async () => {
    await sleep(500);
    const pod = await c.core.readNamespacedPod({ name: 'webserver', namespace: 'green' });
    assert.equal(pod.status?.phase ?? 'Pending', 'Pending');
    assert.ok(pod.metadata?.annotations?.['k8s.v1.cni.cncf.io/network-status']);
  });

  it('a migration told to fail ends Failed, the VMI stays on its node, failure recorded', async () => {
    const before = await vmi(c, 'green', 'vm-a');
    await createObject(c, { apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachineInstanceMigration', metadata: { name: 'doomed', namespace: 'green' }, spec: { vmiName: 'vm-a' } } as never);
    const m = await eventually('migration ended', () => c.custom.getNamespacedCustomObject({ group: 'kubevirt.io', version: 'v1', namespace: 'green', plural: 'virtualmachineinstancemigrations', name: 'doomed' }), (x: any) => ['Succeeded', 'Failed'].includes(x.status?.phase));
    assert.equal(m.status.phase, 'Failed');
    const after = await vmi(c, 'green', 'vm-a');
    assert.equal(after.status.nodeName, before.status.nodeName);
    assert.equal(after.status.migrationState.failed, true);
    assert.match(after.status.migrationState.failureReason, /emulated fault/);
  });

  it('a migration of a VMI that is not running fails at once with the reason', async () => {
    await createObject(c, { apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachineInstanceMigration', metadata: { name: 'too-early', namespace: 'green' }, spec: { vmiName: 'vm-b' } } as never);
    const m = await eventually('migration failed', () => c.custom.getNamespacedCustomObject({ group: 'kubevirt.io', version: 'v1', namespace: 'green', plural: 'virtualmachineinstancemigrations', name: 'too-early' }), (x: any) => x.status?.phase === 'Failed');
    assert.match(m.status.migrationState.failureReason, /VMI vm-b is not running/);
  });

  it('API errors: the chosen call fails as many times as told, with the Status a real API server sends; then it succeeds', async () => {
    const body = { metadata: { name: 'cm' }, data: { a: 'b' } };
    for (let i = 0; i < 2; i++) {
      await assert.rejects(c.core.createNamespacedConfigMap({ namespace: 'green', body }), (err: { code?: number; body?: string }) => err.code === 500 && (JSON.parse(String(err.body)) as { message: string }).message === 'Internal error occurred: failed calling webhook "x.example.io"');
    }
    const created = await c.core.createNamespacedConfigMap({ namespace: 'green', body });
    assert.equal(created.metadata?.name, 'cm');
  });

  it('watches stream through the fault proxy', async () => {
    const seen = new Promise<string>((resolve, reject) => {
      void new Watch(c.kc).watch('/api/v1/namespaces', {}, (type, obj: { metadata?: { name?: string } }) => {
        if (type === 'ADDED' && obj.metadata?.name === 'watched') resolve(obj.metadata.name);
      }, reject);
    });
    await createObject(c, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'watched' } } as never);
    assert.equal(await seen, 'watched');
  });
});
