import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { KIND_NODES, kindClusterProblems } from '../../src/cluster/providers/kind/health.ts';
import { fakeDocker, type FakeDockerState } from './fake-docker.ts';
import { fakeKubeApi } from './fake-kube-api.ts';

const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of cleanups) await c();
});

const POOL_PATH = '/apis/metallb.io/v1beta1/namespaces/metallb-system/ipaddresspools/dev-env-bgp';
const ROUTES = 'default via 172.22.0.1 dev eth0 \n172.22.0.0/16 dev eth0 proto kernel scope link src 172.22.0.3 \n192.168.10.0 via 172.22.0.2 dev eth0 \n';

/** What kind.sh leaves at the end, as the API server shows it. */
const HEALTHY = {
  '/api/v1/nodes': { items: KIND_NODES('ovn').map((name) => ({ metadata: { name }, status: { conditions: [{ type: 'Ready', status: 'True' }] } })) },
  '/api/v1/namespaces/ovn-kubernetes/pods': { items: [{ metadata: { name: 'ovnkube-node-x' }, status: { phase: 'Running' } }] },
  '/apis/apps/v1/namespaces/kube-system/daemonsets/kube-multus-ds': { metadata: { name: 'kube-multus-ds' }, status: { numberReady: 3, desiredNumberScheduled: 3 } },
  '/apis/kubevirt.io/v1/namespaces/kubevirt/kubevirts/kubevirt': { metadata: { name: 'kubevirt' }, status: { phase: 'Deployed' } },
  '/apis/apps/v1/namespaces/metallb-system/deployments/controller': { metadata: { name: 'controller' } },
  [POOL_PATH]: { apiVersion: 'metallb.io/v1beta1', kind: 'IPAddressPool', metadata: { name: 'dev-env-bgp', namespace: 'metallb-system' }, spec: { addresses: ['192.168.10.0/24', 'fc00:f853:0ccd:e799::/124'] } },
};
const CLIENT: Partial<FakeDockerState> = { answers: { 'curl --version': { stdout: 'curl 7.76.1\n' }, 'ip route show': { stdout: ROUTES } } };

async function setup(docker: Partial<FakeDockerState> = CLIENT) {
  const dir = await mkdtemp(join(tmpdir(), 'udn-kind-health-'));
  const api = await fakeKubeApi(join(dir, 'kubeconfig'), HEALTHY);
  const d = await fakeDocker(docker);
  cleanups.push(api.close, d.cleanup, () => rm(dir, { recursive: true, force: true }));
  return { api, docker: d, problems: () => kindClusterProblems(api.kubeconfigPath, 'ovn', d.env) };
}

describe('kind health check', () => {
  it('finds nothing wrong with what kind.sh leaves, asking lbclient for curl and its routes', async () => {
    const { docker, problems } = await setup();
    assert.deepEqual(await problems(), []);
    assert.deepEqual(await docker.argvs(), [
      ['inspect', '--format', '{{.State.Running}}', 'lbclient'],
      ['exec', 'lbclient', 'curl', '--version'],
      ['exec', 'lbclient', 'ip', 'route', 'show'],
    ]);
  });

  it("requires MetalLB's pool dev-env-bgp", async () => {
    const { api, problems } = await setup();
    api.objects.delete(POOL_PATH);
    assert.deepEqual(await problems(), ['MetalLB IPAddressPool metallb-system/dev-env-bgp: missing']);
  });

  it('requires the pool to hold 192.168.10.0/24, the range lbclient is routed to', async () => {
    const { api, problems } = await setup();
    api.objects.set(POOL_PATH, { metadata: { name: 'dev-env-bgp' }, spec: { addresses: ['172.18.0.100-172.18.0.110'] } });
    assert.deepEqual(await problems(), ['MetalLB IPAddressPool dev-env-bgp has 172.18.0.100-172.18.0.110, not 192.168.10.0/24']);
  });

  it('requires the client container to exist and run', async () => {
    const missing = await setup({ ...CLIENT, containers: {} });
    assert.deepEqual(await missing.problems(), ['container lbclient does not exist']);
    const stopped = await setup({ ...CLIENT, containers: { lbclient: 'exited' } });
    assert.deepEqual(await stopped.problems(), ['container lbclient is not running']);
  });

  it("requires lbclient's route to 192.168.10.0 through frr", async () => {
    const { problems } = await setup({ answers: { ...CLIENT.answers, 'ip route show': { stdout: ROUTES.replace(/192\.168\.10\.0 .*\n/, '') } } });
    assert.deepEqual(await problems(), ['client container lbclient has no route to 192.168.10.0 (kind.sh adds it through frr at the end of its MetalLB setup)']);
  });

  it('requires curl in lbclient', async () => {
    const missingCurl = 'OCI runtime exec failed: exec failed: unable to start container process: exec: "curl": executable file not found in $PATH: unknown\n';
    const { problems } = await setup({ answers: { ...CLIENT.answers, 'curl --version': { stderr: missingCurl, exitCode: 127 } } });
    assert.deepEqual(await problems(), [`client container lbclient has no working curl (${missingCurl.trim()})`]);
  });
});
