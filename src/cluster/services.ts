import { CoreV1Api, DiscoveryV1Api, type KubeConfig, type V1Node, type V1Service } from '@kubernetes/client-node';
import type { ServiceAddresses } from '../model/activities.ts';
import type { ServiceRef } from '../model/probe.ts';
import { sleep, unlessAborted } from '../host/abortable.ts';

/** MetalLB's annotation naming the pool an ingress IP came from. */
export const METALLB_POOL_ANNOTATION = 'metallb.universe.tf/ip-allocated-from-pool';

/**
 * What the cluster made of a Service right now: the API server's ClusterIP and NodePort, the
 * load balancer's ingress IP, the EndpointSlice controller's endpoints, and the InternalIP of the
 * node a NodePort is entered by. `missing` says what is not there yet.
 */
export async function readService(kc: KubeConfig, ref: ServiceRef): Promise<ServiceAddresses> {
  const core = kc.makeApiClient(CoreV1Api);
  const svc = await core.readNamespacedService({ namespace: ref.namespace, name: ref.name });
  const slices = await kc.makeApiClient(DiscoveryV1Api).listNamespacedEndpointSlice({ namespace: ref.namespace, labelSelector: `kubernetes.io/service-name=${ref.name}` });
  const port = svc.spec?.ports?.[0];
  const endpoints = slices.items.flatMap((slice) =>
    (slice.endpoints ?? []).map((e) => ({ pod: e.targetRef?.name ?? '?', address: e.addresses[0] ?? '?', ...(e.nodeName ? { node: e.nodeName } : {}), ready: e.conditions?.ready === true })),
  );
  const type = svc.spec?.type ?? 'ClusterIP';
  const ingressIP = svc.status?.loadBalancer?.ingress?.[0]?.ip;
  const pool = svc.metadata?.annotations?.[METALLB_POOL_ANNOTATION];
  const node = type === 'ClusterIP' ? undefined : entryNode((await core.listNode()).items);
  const out: ServiceAddresses = {
    ...ref,
    type,
    port: port?.port ?? 0,
    ...(svc.spec?.clusterIP && svc.spec.clusterIP !== 'None' ? { clusterIP: svc.spec.clusterIP } : {}),
    ...(port?.nodePort ? { nodePort: port.nodePort } : {}),
    ...(node ? { node } : {}),
    ...(ingressIP ? { ingressIP } : {}),
    ...(pool ? { ingressPool: pool } : {}),
    endpoints,
    missing: [],
  };
  out.missing = missingOf(svc, out);
  return out;
}

function missingOf(svc: V1Service, s: ServiceAddresses): string[] {
  const missing: string[] = [];
  if (!s.clusterIP) missing.push('no ClusterIP');
  if (s.type !== 'ClusterIP' && !s.nodePort) missing.push('no NodePort');
  if (s.type !== 'ClusterIP' && !s.node) missing.push('no node with an InternalIP');
  if (s.type === 'LoadBalancer' && !s.ingressIP) missing.push('no ingress IP assigned');
  if (!s.endpoints.some((e) => e.ready)) missing.push(s.endpoints.length === 0 ? `no endpoints (selector ${JSON.stringify(svc.spec?.selector ?? {})})` : 'no ready endpoint');
  return missing;
}

/** The first schedulable worker's InternalIP, as the talk curled ovn-worker's. */
function entryNode(nodes: V1Node[]): { name: string; address: string } | undefined {
  // The role label's value is empty: its presence is what marks the control plane.
  const workers = nodes.filter((n) => !('node-role.kubernetes.io/control-plane' in (n.metadata?.labels ?? {})) && !n.spec?.unschedulable);
  const sorted = [...(workers.length > 0 ? workers : nodes)].sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
  for (const n of sorted) {
    const address = n.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
    if (address) return { name: n.metadata!.name!, address };
  }
  return undefined;
}

/**
 * Polls until every Service has all it should (addresses and a ready endpoint), or the time is
 * up; then returns what there is, with what is missing said, so a check can show why it failed.
 * An abort ends the polling with the signal's reason.
 */
export async function waitForServices(kc: KubeConfig, refs: readonly ServiceRef[], timeoutMs: number, progress: (line: string) => void, o: { signal?: AbortSignal; intervalMs?: number } = {}): Promise<ServiceAddresses[]> {
  const { signal, intervalMs = 500 } = o;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // A read the API server does not answer (it went away) must not hold a cancel up.
    const seen = await unlessAborted(Promise.all(refs.map((r) => readService(kc, r))), signal);
    const waiting = seen.filter((s) => s.missing.length > 0);
    if (waiting.length === 0) return seen;
    if (Date.now() >= deadline) {
      const waited = `within ${Math.round(timeoutMs / 1000)} s`;
      return seen.map((s) => ({ ...s, missing: s.missing.map((m) => `${m} ${waited}`) }));
    }
    progress(`waiting for ${waiting.map((s) => `${s.namespace}/${s.name}: ${s.missing.join(', ')}`).join('; ')}`);
    await sleep(intervalMs, signal);
  }
}
