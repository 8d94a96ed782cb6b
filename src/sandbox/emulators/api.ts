import {
  CoreV1Api,
  CustomObjectsApi,
  DiscoveryV1Api,
  KubeConfig,
  NetworkingV1Api,
  PatchStrategy,
  makeInformer,
  setHeaderOptions,
  type Informer,
  type KubernetesObject,
  type ObjectCache,
} from '@kubernetes/client-node';

export const MERGE = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
export const PRIMARY_UDN_LABEL = 'k8s.ovn.org/primary-user-defined-network';
export const NETWORK_STATUS = 'k8s.v1.cni.cncf.io/network-status';

/** A custom resource as the emulators read it: loosely typed, since its schema lives in the CRD. */
export interface Resource extends KubernetesObject {
  spec?: Record<string, any>;
  status?: Record<string, any>;
}

export type Cache<T extends KubernetesObject> = Informer<T> & ObjectCache<T>;

export interface Crd {
  group: string;
  plural: string;
  /** v1 unless given. */
  version?: string;
}
export const UDN: Crd = { group: 'k8s.ovn.org', plural: 'userdefinednetworks' };
export const CUDN: Crd = { group: 'k8s.ovn.org', plural: 'clusteruserdefinednetworks' };
export const IP_ADDRESS_POOL: Crd = { group: 'metallb.io', plural: 'ipaddresspools', version: 'v1beta1' };
export const NAD: Crd = { group: 'k8s.cni.cncf.io', plural: 'network-attachment-definitions' };
export const VM: Crd = { group: 'kubevirt.io', plural: 'virtualmachines' };
export const VMI: Crd = { group: 'kubevirt.io', plural: 'virtualmachineinstances' };
export const VMIM: Crd = { group: 'kubevirt.io', plural: 'virtualmachineinstancemigrations' };

/** The clients and watch caches every emulator shares: one informer per kind for the process. */
export class Cluster {
  readonly core: CoreV1Api;
  readonly custom: CustomObjectsApi;
  private readonly caches = new Map<string, Cache<any>>();

  constructor(readonly kc: KubeConfig) {
    this.core = kc.makeApiClient(CoreV1Api);
    this.custom = kc.makeApiClient(CustomObjectsApi);
  }

  pods(): Cache<import('@kubernetes/client-node').V1Pod> {
    return this.cache('/api/v1/pods', () => this.core.listPodForAllNamespaces());
  }

  namespaces(): Cache<import('@kubernetes/client-node').V1Namespace> {
    return this.cache('/api/v1/namespaces', () => this.core.listNamespace());
  }

  nodes(): Cache<import('@kubernetes/client-node').V1Node> {
    return this.cache('/api/v1/nodes', () => this.core.listNode());
  }

  networkPolicies(): Cache<import('@kubernetes/client-node').V1NetworkPolicy> {
    const api = this.kc.makeApiClient(NetworkingV1Api);
    return this.cache('/apis/networking.k8s.io/v1/networkpolicies', () => api.listNetworkPolicyForAllNamespaces());
  }

  services(): Cache<import('@kubernetes/client-node').V1Service> {
    return this.cache('/api/v1/services', () => this.core.listServiceForAllNamespaces());
  }

  endpointSlices(): Cache<import('@kubernetes/client-node').V1EndpointSlice> {
    const api = this.kc.makeApiClient(DiscoveryV1Api);
    return this.cache('/apis/discovery.k8s.io/v1/endpointslices', () => api.listEndpointSliceForAllNamespaces());
  }

  resources(crd: Crd): Cache<Resource> {
    const version = crd.version ?? 'v1';
    return this.cache(`/apis/${crd.group}/${version}/${crd.plural}`, () => this.custom.listClusterCustomObject({ group: crd.group, version, plural: crd.plural }));
  }

  async start(): Promise<void> {
    await Promise.all([...this.caches.values()].map((c) => c.start()));
  }

  async stop(): Promise<void> {
    await Promise.all([...this.caches.values()].map((c) => c.stop()));
  }

  /**
   * A status write conditioned on the version we read: a reconcile working from a stale cache
   * gets a conflict (and is retried with fresh state) instead of repeating a transition.
   */
  patchStatus(crd: Crd, obj: Resource, status: Record<string, unknown>): Promise<unknown> {
    const body = { metadata: { resourceVersion: obj.metadata!.resourceVersion }, status };
    const target = { group: crd.group, version: crd.version ?? 'v1', plural: crd.plural, name: obj.metadata!.name!, body };
    const namespace = obj.metadata!.namespace;
    return namespace
      ? this.custom.patchNamespacedCustomObjectStatus({ ...target, namespace }, MERGE)
      : this.custom.patchClusterCustomObjectStatus(target, MERGE);
  }

  create(crd: Crd, namespace: string, body: Resource): Promise<unknown> {
    return this.custom.createNamespacedCustomObject({ group: crd.group, version: 'v1', namespace, plural: crd.plural, body });
  }

  private cache<T extends KubernetesObject>(path: string, list: () => Promise<any>): Cache<T> {
    let c = this.caches.get(path);
    if (!c) {
      c = makeInformer<T>(this.kc, path, list);
      // A watch that ends (expiry, 410 Gone) is restarted from a fresh list.
      c.on('error', () => setTimeout(() => void c!.start(), 500));
      this.caches.set(path, c);
    }
    return c as Cache<T>;
  }
}
