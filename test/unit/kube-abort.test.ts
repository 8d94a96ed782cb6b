import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import { withConsole } from '../../src/cluster/console/sessions.ts';
import { execInPod } from '../../src/cluster/exec/pod-exec.ts';
import { migrate } from '../../src/cluster/migrate.ts';
import { waitForServices } from '../../src/cluster/services.ts';
import { waitUntilReady } from '../../src/cluster/wait.ts';
import type { WorkloadRef } from '../../src/model/workload.ts';
import { fakeKubeApi, type FakeKubeApi } from '../kind/fake-kube-api.ts';
import { until, within } from '../helpers/timing.ts';

const list = (kind: string, items: unknown[]) => ({ kind, apiVersion: 'v1', metadata: { resourceVersion: '1' }, items });
const pod = { metadata: { name: 'webserver', namespace: 'green', resourceVersion: '1' }, status: { phase: 'Pending' } };
const vmi = { metadata: { name: 'vm-b', namespace: 'green', resourceVersion: '1' }, status: { nodeName: 'ovn-worker' } };
const migration = { metadata: { name: 'move-vm-b', namespace: 'green', uid: 'u-1' } };
const vm: WorkloadRef = { kind: 'VirtualMachineInstance', namespace: 'green', name: 'vm-a' };

let dir: string;
let api: FakeKubeApi;
let kc: KubeConfig;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'udn-kube-abort-'));
  api = await fakeKubeApi(join(dir, 'kubeconfig'), {
    '/api/v1/namespaces/green/pods': list('PodList', [pod]),
    '/apis/kubevirt.io/v1/namespaces/green/virtualmachineinstances': list('VirtualMachineInstanceList', [vmi]),
    '/apis/kubevirt.io/v1/namespaces/green/virtualmachineinstances/vm-b': vmi,
    '/apis/kubevirt.io/v1/namespaces/green/virtualmachineinstancemigrations/move-vm-b': migration,
    '/api/v1/namespaces/green/services/webserver': { metadata: { name: 'webserver', namespace: 'green' }, spec: { type: 'ClusterIP', clusterIP: '10.96.0.10', ports: [{ port: 80 }] } },
    '/apis/discovery.k8s.io/v1/namespaces/green/endpointslices': list('EndpointSliceList', []),
  });
  kc = new KubeConfig();
  kc.loadFromFile(api.kubeconfigPath);
});

after(async () => {
  await api.close();
  await rm(dir, { recursive: true, force: true });
});

/** Timers keeping the process alive: a wait that ends must take its own with it. */
const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

/**
 * Starts `wait` with a signal, aborts it once `started` holds, and checks that it rejects with the
 * abort's reason at once, closes what it opened on the API server and leaves no timer running.
 */
async function abortsPromptly(wait: (signal: AbortSignal) => Promise<unknown>, started: () => boolean): Promise<void> {
  const timersBefore = timers();
  const abort = new AbortController();
  const waiting = wait(abort.signal);
  await until('the wait to reach the API server', () => started() || undefined);
  const reason = new Error('cancelled by the test');
  abort.abort(reason);
  await assert.rejects(within(1_000, waiting), (err) => err === reason);
  await until('the API server to see its watches and sockets closed', () => (api.open().watches + api.open().sockets === 0 ? true : undefined), 2_000);
  assert.equal(timers(), timersBefore, `timers left running: ${process.getActiveResourcesInfo().join(', ')}`);
}

const watching = () => api.open().watches > 0;
const connected = () => api.open().sockets > 0;

describe('waits on the API server end at once when aborted', { timeout: 20_000 }, () => {
  it('waitUntilReady: the watch closes, its deadline is cleared', () =>
    abortsPromptly((signal) => waitUntilReady(kc, [{ kind: 'Pod', namespace: 'green', name: 'webserver' }], 60_000, () => undefined, signal), watching));

  it('migrate: the watch for the migration to complete closes', () =>
    abortsPromptly((signal) => migrate(kc, { kind: 'VirtualMachineInstance', namespace: 'green', name: 'vm-b' }, 'move-vm-b', 60_000, () => undefined, signal), watching));

  it('waitForServices: the polling stops', async () => {
    let polled = false;
    await abortsPromptly(
      (signal) => waitForServices(kc, [{ namespace: 'green', name: 'webserver' }], 60_000, () => (polled = true), { signal, intervalMs: 5_000 }),
      () => polled,
    );
  });

  it('withConsole: the console websocket closes while the guest has not answered the login', () =>
    abortsPromptly((signal) => withConsole(kc, vm, { credentials: { user: 'fedora', password: 'fedora' }, connectTimeoutMs: 5_000, loginTimeoutMs: 60_000, reconnects: 1, signal }, (sh) => sh.exec(['true'], 5_000)), connected));

  it('execInPod: the exec websocket closes before the command answers', () =>
    abortsPromptly((signal) => execInPod(kc, { kind: 'Pod', namespace: 'green', name: 'webserver' }, undefined, ['sleep', '60'], 60_000, signal), connected));
});
