import type { ServiceVia } from '../model/probe.ts';
import type { NetworkDef, PolicyDef, Scenario, ServiceDef, StepDef, WorkloadDef, WorkloadKey } from './types.ts';

/** What exists on the cluster at one point of a run, as the network model sees it. */
export interface ModelState {
  networks: readonly NetworkDef[];
  workloads: readonly WorkloadDef[];
  policies: readonly PolicyDef[];
  services: readonly ServiceDef[];
  /** Workloads whose `serves` web server a step has started. */
  serving: readonly WorkloadKey[];
  outside: readonly string[];
}

/** The model's answer: may the flow pass, why, and what a reached agnhost answers. */
export interface Expectation {
  allowed: boolean;
  reason: string;
  /** What `/hostname` answers when the flow reaches an agnhost web server. */
  body?: string;
  /** What the answer of a VM's web server holds. */
  bodyContains?: string;
}

/** The sources a probe names outside the cluster: the talk's client container, and the machine running the cluster. */
export const OUTSIDE_CLIENT = 'outside:client';
export const OUTSIDE_HOST = 'outside:host';
const isOutsideKey = (key: WorkloadKey) => key === OUTSIDE_CLIENT || key === OUTSIDE_HOST;

export const workloadKeyOf = (w: Pick<WorkloadDef, 'namespace' | 'name'>): WorkloadKey => `${w.namespace}/${w.name}`;

/**
 * What the steps `step` needs (transitively) have created, and what it creates itself: the world
 * it runs in under either ordering, because a step starts only after what it needs has ended and
 * the table orders every check before the steps that would change its answer.
 */
export function stateAt(s: Scenario, step: StepDef): ModelState {
  const byId = new Map(s.steps.map((x) => [x.id, x]));
  const seen = new Set<string>();
  const visit = (id: string) => {
    if (seen.has(id)) return;
    seen.add(id);
    for (const need of byId.get(id)?.needs ?? []) visit(need);
  };
  visit(step.id);
  const networks = new Set<string>();
  const workloads = new Set<string>();
  const policies = new Set<string>();
  const services = new Set<string>();
  const serving = new Set<WorkloadKey>();
  for (const id of seen) {
    const run = byId.get(id)?.run;
    if (run?.kind === 'serve-http') serving.add(run.vm);
    if (run?.kind !== 'apply') continue;
    for (const n of run.creates.networks ?? []) networks.add(n);
    for (const w of run.creates.workloads ?? []) workloads.add(w);
    for (const p of run.creates.policies ?? []) policies.add(p);
    for (const x of run.creates.services ?? []) services.add(x);
  }
  return {
    networks: s.networks.filter((n) => networks.has(n.name)),
    workloads: s.workloads.filter((w) => workloads.has(workloadKeyOf(w))),
    policies: s.policies.filter((p) => policies.has(p.name)),
    services: s.services.filter((x) => services.has(workloadKeyOf(x))),
    serving: [...serving],
    outside: s.outside,
  };
}

/** The primary network carrying a namespace, if one exists in this state (else the cluster's default network). */
export function networkOf(state: ModelState, namespace: string): NetworkDef | undefined {
  return state.networks.find((n) => n.namespaces.includes(namespace));
}

/**
 * "May A reach B on port P?" under OVN-Kubernetes' rules: a primary UDN (or a CUDN over several
 * namespaces) is a routing domain of its own, so only workloads on the same network reach each
 * other; a host outside the cluster is reached through the network's gateway with SNAT; a
 * NetworkPolicy that selects the target drops ingress but on the ports it allows.
 */
export function mayReach(state: ModelState, from: WorkloadKey, to: WorkloadKey, protocol: 'http' | 'icmp' | 'tcp', port?: number, entry?: ServiceVia): Expectation {
  if (to.startsWith('service:')) return mayReachService(state, from, to.slice('service:'.length), protocol, port, entry);
  if (isOutsideKey(from)) return { allowed: false, reason: `a host outside the cluster reaches no workload address: ${to} is reached from outside only through a Service` };
  const source = find(state, from);
  if (!source) return { allowed: false, reason: `${from} does not exist yet` };
  const mine = networkOf(state, source.namespace);
  const via = mine ? `${mine.scope === 'cluster' ? 'ClusterUserDefinedNetwork' : 'UDN'} ${mine.name}` : 'the default network';
  if (to.startsWith('outside:')) {
    const host = to.slice('outside:'.length);
    if (!state.outside.includes(host)) return { allowed: false, reason: `no host ${host} outside the cluster` };
    return { allowed: true, reason: `${host} is outside the cluster: out through ${via}'s gateway and the node (SNAT)` };
  }
  const target = find(state, to);
  if (!target) return { allowed: false, reason: `${to} does not exist yet` };
  const theirs = networkOf(state, target.namespace);
  // Networks are told apart by identity: two namespaces' UDNs may share a name.
  if (mine !== theirs) {
    return { allowed: false, reason: `isolated: ${from} is on ${mine?.name ?? 'the default network'}, ${to} on ${theirs?.name ?? 'the default network'}` };
  }
  if (protocol !== 'icmp' && target.httpPort !== port) return { allowed: false, reason: `nothing listens on ${to} port ${port}` };
  const selecting = state.policies.filter((p) => p.namespace === target.namespace && Object.entries(p.podSelector).every(([k, v]) => target.labels[k] === v));
  if (selecting.length > 0) {
    const opens = protocol !== 'icmp' && selecting.some((p) => port !== undefined && p.ingressTcpPorts.includes(port));
    const names = selecting.map((p) => p.name).join(', ');
    if (!opens) return { allowed: false, reason: `NetworkPolicy ${names} selects ${to} and allows no ${protocol === 'icmp' ? 'ICMP' : `TCP ${port}`}` };
    return { allowed: true, reason: `same network ${via}; NetworkPolicy ${names} allows TCP ${port}`, ...body(target, protocol) };
  }
  return { allowed: true, reason: `same network ${via}; no NetworkPolicy selects ${to}`, ...body(target, protocol) };
}

/**
 * A Service on OVN-Kubernetes with primary UDNs: its ClusterIP answers the workloads on its
 * endpoints' network (and the nodes), never another network; a NodePort or a load balancer's
 * ingress IP answers from outside the cluster. Either way an endpoint must be listening.
 */
function mayReachService(state: ModelState, from: WorkloadKey, key: string, protocol: string, port: number | undefined, via: ServiceVia | undefined): Expectation {
  const svc = state.services.find((x) => workloadKeyOf(x) === key);
  if (!svc) return { allowed: false, reason: `Service ${key} does not exist yet` };
  if (via === undefined) throw new Error(`a probe of Service ${key} must say how it enters it (via)`);
  if (protocol === 'icmp') return { allowed: false, reason: `Service ${key} forwards TCP ${svc.port}, not ICMP` };
  if (port !== svc.port) return { allowed: false, reason: `Service ${key} has no port ${port}` };
  const endpoints = state.workloads.filter((w) => w.namespace === svc.namespace && Object.entries(svc.selector).every(([k, v]) => w.labels[k] === v));
  if (endpoints.length === 0) return { allowed: false, reason: `Service ${key} selects no workload: no endpoints` };
  const listening = endpoints.filter((w) => w.serves?.port === svc.targetPort && state.serving.includes(workloadKeyOf(w)));
  const names = endpoints.map(workloadKeyOf).join(', ');
  if (listening.length === 0) return { allowed: false, reason: `nothing listens on port ${svc.targetPort} of ${names}` };
  const answer = protocol === 'http' && listening[0]!.serves ? { bodyContains: listening[0]!.serves.answerHolds } : {};
  const theirs = networkOf(state, svc.namespace);
  const on = theirs ? `${theirs.scope === 'cluster' ? 'ClusterUserDefinedNetwork' : 'UDN'} ${theirs.name}` : 'the default network';
  if (via !== 'cluster-ip') {
    if (via === 'load-balancer' && svc.type !== 'LoadBalancer') return { allowed: false, reason: `Service ${key} is of type ${svc.type}: no load balancer` };
    if (svc.type === 'ClusterIP') return { allowed: false, reason: `Service ${key} is of type ClusterIP: no NodePort` };
    if (!isOutsideKey(from)) throw new Error(`the model answers ${via} only from outside the cluster, not from ${from}`);
    return { allowed: true, reason: `from outside through ${via === 'node-port' ? "a node's NodePort" : "the load balancer's ingress IP"} to ${names} on ${on}`, ...answer };
  }
  if (isOutsideKey(from)) return { allowed: false, reason: `a ClusterIP answers only inside the cluster` };
  const source = find(state, from);
  if (!source) return { allowed: false, reason: `${from} does not exist yet` };
  const mine = networkOf(state, source.namespace);
  if (mine !== theirs) {
    return { allowed: false, reason: `a Service on a primary network answers only that network and the nodes: ${from} is on ${mine?.name ?? 'the default network'}, ${key}'s endpoints on ${theirs?.name ?? 'the default network'}` };
  }
  return { allowed: true, reason: `ClusterIP of ${key} to ${names}, on the same network (${on})`, ...answer };
}

function find(state: ModelState, key: WorkloadKey): WorkloadDef | undefined {
  return state.workloads.find((w) => workloadKeyOf(w) === key);
}

function body(target: WorkloadDef, protocol: string): { body?: string } {
  return protocol === 'http' && target.httpPort !== undefined ? { body: target.name } : {};
}
