import type { V1Service } from '@kubernetes/client-node';
import { ipInCidr, ipv4ToNumber } from '../dataplane/selectors.ts';
import { IP_ADDRESS_POOL, MERGE, type Cluster, type Resource } from './api.ts';
import { Controller, keyFor } from './controller.ts';
import type { Faults } from './faults.ts';
import { numberToIp, subnet } from './ipam.ts';

export const METALLB_NAMESPACE = 'metallb-system';
export const POOL_ANNOTATION = 'metallb.universe.tf/ip-allocated-from-pool';

/**
 * Stands in for MetalLB's controller: every LoadBalancer service gets the first free address of
 * the IPAddressPools in metallb-system (in name order, as autoAssign pools are tried), in
 * status.loadBalancer.ingress with ipMode VIP, and the pool's name in its annotation. The fault
 * metallbNoAddress leaves every service without one, as a pool with no free address would.
 */
export function metallbEmulator(cluster: Cluster, faults: Pick<Faults, 'metallbNoAddress'>, log: (l: string) => void): Controller {
  const services = cluster.services();
  const pools = cluster.resources(IP_ADDRESS_POOL);

  const controller = new Controller('metallb/controller', async (namespace, name) => {
    const svc = services.get(name, namespace);
    if (!svc?.metadata || svc.metadata.deletionTimestamp || svc.spec?.type !== 'LoadBalancer' || faults.metallbNoAddress) return;
    if ((svc.status?.loadBalancer?.ingress ?? []).length > 0) return;
    const used = new Set(services.list().flatMap((s) => (s.status?.loadBalancer?.ingress ?? []).map((i) => i.ip ?? '')));
    const assignable = pools
      .list(METALLB_NAMESPACE)
      .filter((p) => p.spec?.autoAssign !== false)
      .sort((a, b) => a.metadata!.name!.localeCompare(b.metadata!.name!));
    for (const pool of assignable) {
      const ip = firstFree(pool, used);
      if (!ip) continue;
      await cluster.core.patchNamespacedService({ name, namespace: namespace!, body: { metadata: { annotations: { [POOL_ANNOTATION]: pool.metadata!.name! } } } }, MERGE);
      await cluster.core.patchNamespacedServiceStatus({ name, namespace: namespace!, body: { status: { loadBalancer: { ingress: [{ ip, ipMode: 'VIP' }] } } } }, MERGE);
      log(`metallb: ${namespace}/${name} gets ${ip} from pool ${pool.metadata!.name}`);
      return;
    }
  }, log).watch(services, (s: V1Service) => (s.spec?.type === 'LoadBalancer' ? keyFor(s) : undefined));
  // A pool created (or widened) after its services gives them their addresses.
  pools.on('add', () => services.list().forEach((s) => controller.enqueue(keyFor(s))));
  pools.on('update', () => services.list().forEach((s) => controller.enqueue(keyFor(s))));
  return controller;
}

/** The pool's first IPv4 address nobody holds; MetalLB's `avoidBuggyIPs` skips .0 and .255. */
function firstFree(pool: Resource, used: ReadonlySet<string>): string | undefined {
  const avoidBuggy = pool.spec?.avoidBuggyIPs === true;
  for (const range of (pool.spec?.addresses ?? []) as string[]) {
    const [from, to] = bounds(range) ?? [];
    if (from === undefined || to === undefined) continue;
    for (let n = from; n <= to; n++) {
      const ip = numberToIp(n);
      if (avoidBuggy && (n % 256 === 0 || n % 256 === 255)) continue;
      if (!used.has(ip)) return ip;
    }
  }
  return undefined;
}

/** A pool entry's first and last address: `CIDR` or `FIRST-LAST`; IPv6 entries are not ours. */
function bounds(range: string): [number, number] | undefined {
  if (range.includes('-')) {
    const [a, b] = range.split('-').map((x) => ipv4ToNumber(x.trim()));
    return a !== undefined && b !== undefined ? [a, b] : undefined;
  }
  const base = range.split('/')[0] ?? '';
  if (ipv4ToNumber(base) === undefined || !ipInCidr(base, range)) return undefined;
  const { start, size } = subnet(range);
  return [start, start + size - 1];
}
