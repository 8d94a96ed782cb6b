import type { Protocol } from './netpol.ts';

/** One port of a Service as OVN-Kubernetes programs its load balancers. */
export interface ServicePort {
  protocol: Protocol;
  port: number;
  nodePort?: number;
  /** Ready endpoints on the service's network: their addresses there (for a primary UDN, the UDN address) and target port. */
  backends: ReadonlyArray<{ ip: string; port: number }>;
}

/** A Service's frontends, on the network of its namespace: its load balancers live on that network only. */
export interface ServiceRoute {
  namespace: string;
  name: string;
  network: string;
  clusterIPs: readonly string[];
  /** status.loadBalancer.ingress (MetalLB's addresses). */
  ingressIPs: readonly string[];
  ports: readonly ServicePort[];
}

export interface Frontend {
  service: ServiceRoute;
  port: ServicePort;
  /** How the flow met the load balancer, for the evidence: `ClusterIP 10.96.12.34:9000`. */
  via: string;
}

/**
 * The service frontend `address:port` is, among `services`: an ingress IP always; a cluster IP
 * when the flow starts inside the cluster (`inside`); a node port when `address` is a node's.
 */
export function frontendAt(services: readonly ServiceRoute[], address: string, protocol: Protocol, port: number | undefined, on: { inside: boolean; node: boolean }): Frontend | undefined {
  if (protocol === 'ICMP' || port === undefined) return undefined;
  for (const service of services) {
    for (const p of service.ports) {
      if (p.protocol !== protocol) continue;
      if (on.inside && p.port === port && service.clusterIPs.includes(address)) return { service, port: p, via: `ClusterIP ${address}:${port}` };
      if (p.port === port && service.ingressIPs.includes(address)) return { service, port: p, via: `LoadBalancer ingress ${address}:${port}` };
      if (on.node && p.nodePort === port) return { service, port: p, via: `NodePort ${address}:${port}` };
    }
  }
  return undefined;
}

/** OVN's load balancer picks one backend per connection; which one is its hash's business, here chance's. */
export function pickBackend(port: ServicePort): { ip: string; port: number } | undefined {
  return port.backends[Math.floor(Math.random() * port.backends.length)];
}
