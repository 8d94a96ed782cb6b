import { setTimeout as sleep } from 'node:timers/promises';
import { ApiextensionsV1Api, KubeConfig, KubernetesObjectApi, PatchStrategy, loadYaml, type KubernetesObject } from '@kubernetes/client-node';
import { SANDBOX_CRDS } from './crds/index.ts';
import { METALLB_NAMESPACE } from './emulators/metallb.ts';

/** The kind cluster's nodes, so the demo's nodeName and migration targets mean the same here. */
export const SANDBOX_NODES = ['ovn-control-plane', 'ovn-worker', 'ovn-worker2'];
const FIELD_MANAGER = 'udn-demo-sandbox';
/**
 * MetalLB's pool as kind.sh's MetalLB dev-env leaves it (ovn-kubernetes' contrib/kind-common
 * at our pin installs MetalLB's `inv dev-env -p bgp`): the talk's service got 192.168.10.0 from it.
 */
const METALLB_POOL = { apiVersion: 'metallb.io/v1beta1', kind: 'IPAddressPool', metadata: { name: 'dev-env-bgp', namespace: METALLB_NAMESPACE }, spec: { addresses: ['192.168.10.0/24'] } };

/** Installs the API types, node objects and MetalLB's pool the demo needs; server-side apply, so it is idempotent. */
export async function bootstrapApi(kubeconfigPath: string): Promise<void> {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  const objects = KubernetesObjectApi.makeApiClient(kc);
  // The client serializes known kinds through its typed models, which drop wire-format keys
  // (x-kubernetes-*) they do not recognise: hand it a model, not plain JSON.
  const apply = (o: KubernetesObject) => objects.patch(loadYaml<KubernetesObject>(JSON.stringify(o)), undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply);
  for (const crd of SANDBOX_CRDS) await apply(crd as KubernetesObject);
  await waitEstablished(kc, SANDBOX_CRDS.map((c) => (c as { metadata: { name: string } }).metadata.name));
  await apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: METALLB_NAMESPACE } });
  await apply(METALLB_POOL);
  for (const name of SANDBOX_NODES) {
    const worker = name !== 'ovn-control-plane';
    await apply({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name,
        labels: {
          'kubernetes.io/hostname': name,
          'kubernetes.io/os': 'linux',
          ...(worker ? {} : { 'node-role.kubernetes.io/control-plane': '' }),
        },
      },
      ...(worker ? {} : { spec: { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] } }),
    } as KubernetesObject);
  }
}

async function waitEstablished(kc: KubeConfig, names: string[]): Promise<void> {
  const api = kc.makeApiClient(ApiextensionsV1Api);
  const deadline = Date.now() + 30_000;
  for (const name of names) {
    for (;;) {
      const crd = await api.readCustomResourceDefinition({ name });
      if (crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) break;
      if (Date.now() > deadline) throw new Error(`CRD ${name} was not Established within 30 s`);
      await sleep(100);
    }
  }
}
