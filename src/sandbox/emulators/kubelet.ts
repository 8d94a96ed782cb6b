import type { V1Pod } from '@kubernetes/client-node';
import { MERGE, NETWORK_STATUS, type Cluster } from './api.ts';
import { Controller, keyFor } from './controller.ts';
import { hasFault, type Faults } from './faults.ts';
import { iso, remaining, type LatencyProfile } from './latency.ts';

export const NODE_IPS: Record<string, string> = { 'ovn-control-plane': '172.18.0.2', 'ovn-worker': '172.18.0.3', 'ovn-worker2': '172.18.0.4' };

/**
 * Stands in for the scheduler and the kubelets of kind's nodes: binds unbound pods to the
 * least-loaded worker, marks nodes Ready, and runs a bound pod once its network is plumbed
 * (the CNI has written network-status), after the profile's start-up time. Terminating pods
 * are removed at once, as a kubelet does after killing their containers.
 */
export function kubeletEmulator(cluster: Cluster, lat: LatencyProfile, faults: Faults, log: (l: string) => void, execPort: number): Controller[] {
  const pods = cluster.pods();
  const nodes = cluster.nodes();

  const nodeController = new Controller('kubelet/nodes', async (_ns, name) => {
    const node = nodes.get(name);
    const ready = node?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
    if (!node || (ready && node.status?.daemonEndpoints?.kubeletEndpoint?.Port === execPort)) return;
    const now = new Date().toISOString();
    await cluster.core.patchNodeStatus(
      {
        name,
        body: {
          status: {
            conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status (emulated)', lastHeartbeatTime: now, lastTransitionTime: now }],
            // The API server reaches every emulated kubelet (exec) through InternalDNS on loopback.
            addresses: [{ type: 'InternalIP', address: NODE_IPS[name] ?? '172.18.0.9' }, { type: 'Hostname', address: name }, { type: 'InternalDNS', address: 'localhost' }],
            daemonEndpoints: { kubeletEndpoint: { Port: execPort } },
            nodeInfo: { kubeletVersion: 'v1.34.4-sandbox', containerRuntimeVersion: 'emulated://1', architecture: 'amd64', operatingSystem: 'linux', osImage: 'udn-demo sandbox', kernelVersion: '', kubeProxyVersion: '', machineID: '', systemUUID: '', bootID: '' },
          },
        },
      },
      MERGE,
    );
  }, log).watch(nodes);

  const podController = new Controller('kubelet/pods', async (namespace, name) => {
    const pod = pods.get(name, namespace);
    if (!pod?.metadata) return;
    if (pod.metadata.deletionTimestamp) {
      await cluster.core.deleteNamespacedPod({ name, namespace: namespace!, gracePeriodSeconds: 0 }).catch(() => undefined);
      return;
    }
    if (!pod.spec?.nodeName) return bind(pod);
    if (pod.status?.phase === 'Running' || pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return;
    const network = pod.metadata.annotations?.[NETWORK_STATUS];
    if (!network) return; // The CNI (emulated OVN-Kubernetes) has not plumbed it yet; its write wakes us.
    if (hasFault(faults.podNeverReady, namespace, name)) return;
    const wait = remaining(iso(pod.metadata.creationTimestamp), lat.podStart);
    if (wait > 0) return wait;
    const podIP = (JSON.parse(network) as { interface: string; ips: string[] }[]).find((e) => e.interface === 'eth0')?.ips[0];
    const now = new Date().toISOString();
    const cond = (type: string) => ({ type, status: 'True', lastTransitionTime: now });
    await cluster.core.patchNamespacedPodStatus(
      {
        name,
        namespace: namespace!,
        body: {
          status: {
            phase: 'Running',
            hostIP: NODE_IPS[pod.spec.nodeName],
            ...(podIP ? { podIP, podIPs: [{ ip: podIP }] } : {}),
            startTime: now,
            conditions: ['PodScheduled', 'Initialized', 'ContainersReady', 'Ready'].map(cond),
            containerStatuses: (pod.spec.containers ?? []).map((c) => ({ name: c.name, image: c.image ?? '', imageID: '', ready: true, started: true, restartCount: 0, state: { running: { startedAt: now } } })),
          },
        },
      },
      MERGE,
    );
  }, log).watch(pods);

  async function bind(pod: V1Pod): Promise<void> {
    const workers = nodes.list().map((n) => n.metadata!.name!).filter((n) => n !== 'ovn-control-plane').sort();
    const load = (n: string) => pods.list().filter((p) => p.spec?.nodeName === n && !p.metadata?.deletionTimestamp).length;
    const target = workers.sort((a, b) => load(a) - load(b))[0];
    if (!target) return;
    await cluster.core.createNamespacedPodBinding({
      name: pod.metadata!.name!,
      namespace: pod.metadata!.namespace!,
      body: { apiVersion: 'v1', kind: 'Binding', metadata: { name: pod.metadata!.name! }, target: { apiVersion: 'v1', kind: 'Node', name: target } },
    });
  }

  // Re-check pods when a node turns Ready, e.g. after a restart of the emulators.
  nodes.on('update', () => pods.list().forEach((p) => podController.enqueue(keyFor(p))));
  return [nodeController, podController];
}
