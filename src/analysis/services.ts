import type { ServiceAddresses } from '../model/activities.ts';
import type { ServiceVia } from '../model/probe.ts';

/**
 * Where a probe enters a Service by `via`: its ClusterIP or ingress IP on the Service's port, or
 * a worker's InternalIP on the NodePort; undefined when the cluster has not given that address.
 */
export function serviceEntry(s: ServiceAddresses, via: ServiceVia, port: number): { address: string; port: number } | undefined {
  if (via === 'cluster-ip') return s.clusterIP ? { address: s.clusterIP, port } : undefined;
  if (via === 'node-port') return s.node && s.nodePort ? { address: s.node.address, port: s.nodePort } : undefined;
  return s.ingressIP ? { address: s.ingressIP, port } : undefined;
}

/** `red-namespace/webapp: ClusterIP 10.96.6.65, NodePort 30600 on ovn-worker (172.18.0.2), ingress 192.168.10.0 (pool dev-env-bgp), endpoints virt-launcher-red-x (10.244.1.17, ready)` */
export function describeService(s: ServiceAddresses): string {
  const parts = [
    `ClusterIP ${s.clusterIP ?? 'none'}`,
    ...(s.type === 'ClusterIP' ? [] : [`NodePort ${s.nodePort ?? 'none'}${s.node ? ` on ${s.node.name} (${s.node.address})` : ''}`]),
    ...(s.type === 'LoadBalancer' ? [`ingress ${s.ingressIP ?? 'none'}${s.ingressPool ? ` (pool ${s.ingressPool})` : ''}`] : []),
    `endpoints ${s.endpoints.map((e) => `${e.pod} (${e.address}${e.node ? ` on ${e.node}` : ''}, ${e.ready ? 'ready' : 'not ready'})`).join(', ') || 'none'}`,
  ];
  const missing = s.missing.length > 0 ? `; missing: ${s.missing.join(', ')}` : '';
  return `${s.namespace}/${s.name}: ${parts.join(', ')}${missing}`;
}
