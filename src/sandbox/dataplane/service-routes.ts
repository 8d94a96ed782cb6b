import type { V1Pod } from '@kubernetes/client-node';
import type { Cluster } from '../emulators/api.ts';
import type { Protocol } from './netpol.ts';
import type { ServicePort, ServiceRoute } from './services.ts';

const SERVICE_NAME = 'kubernetes.io/service-name';

/**
 * The services' load balancers as OVN-Kubernetes programs them, read from the real API server's
 * Services (ClusterIP and NodePort allocated by kube-apiserver, ingress set by MetalLB) and the
 * EndpointSlices kube-controller-manager builds. EndpointSlices name the pods' default-network
 * addresses; on a primary UDN OVN-Kubernetes balances to the same pods' UDN addresses (its
 * EndpointSlice mirror controller), so each endpoint is looked up by its targetRef pod.
 */
export function serviceRoutes(cluster: Cluster): (networkOf: (namespace: string) => string, addressOf: (pod: V1Pod) => string | undefined) => ServiceRoute[] {
  const services = cluster.services();
  const slices = cluster.endpointSlices();
  const pods = cluster.pods();
  return (networkOf, addressOf) => {
    const routes: ServiceRoute[] = [];
    for (const svc of services.list()) {
      const namespace = svc.metadata!.namespace!;
      const clusterIPs = (svc.spec?.clusterIPs ?? [svc.spec?.clusterIP ?? '']).filter((ip) => ip !== '' && ip !== 'None');
      if (svc.spec?.type === 'ExternalName' || clusterIPs.length === 0) continue;
      const own = slices.list(namespace).filter((s) => s.metadata?.labels?.[SERVICE_NAME] === svc.metadata!.name && s.addressType === 'IPv4');
      const ports: ServicePort[] = (svc.spec?.ports ?? []).map((p) => {
        const protocol = (p.protocol ?? 'TCP') as Protocol;
        const backends = own.flatMap((slice) => {
          const target = slice.ports?.find((sp) => (sp.name ?? '') === (p.name ?? '') && (sp.protocol ?? 'TCP') === protocol)?.port;
          if (target === undefined) return [];
          return (slice.endpoints ?? [])
            .filter((e) => e.conditions?.ready !== false && e.targetRef?.kind === 'Pod')
            .map((e) => pods.get(e.targetRef!.name!, e.targetRef!.namespace ?? namespace))
            .map((pod) => (pod ? addressOf(pod) : undefined))
            .filter((ip): ip is string => ip !== undefined)
            .map((ip) => ({ ip, port: target }));
        });
        return { protocol, port: p.port, ...(p.nodePort ? { nodePort: p.nodePort } : {}), backends };
      });
      const ingressIPs = (svc.status?.loadBalancer?.ingress ?? []).map((i) => i.ip).filter((ip): ip is string => Boolean(ip));
      routes.push({ namespace, name: svc.metadata!.name!, network: networkOf(namespace), clusterIPs, ingressIPs, ports });
    }
    return routes;
  };
}
