import type { Scenario, StepAction, WorkloadKey } from './types.ts';

/** How config renames the talk's values in a table: every map is the talk's value → configured value. */
export interface Renames {
  namespaces: ReadonlyMap<string, string>;
  /** Subnets by the talk's namespace of the network that carries them. */
  subnets: ReadonlyMap<string, string>;
  ports: ReadonlyMap<number, number>;
  nodes: ReadonlyMap<string, string>;
  hosts: ReadonlyMap<string, string>;
  /** Workload keys renamed whole (the migration's VMs), after their namespace. */
  workloads?: ReadonlyMap<WorkloadKey, WorkloadKey>;
  /** A step's by-hand commands in config's names, from the table's; steps it does not know keep theirs. */
  byHand?: (commands: readonly string[]) => readonly string[];
}

/**
 * The table with config's names and values in place of the talk's, the same way config renames
 * the talk's manifests: the table keeps the talk's words, a run uses its own.
 */
export function renamed<S extends Scenario>(s: S, r: Renames): S {
  const ns = (n: string) => r.namespaces.get(n) ?? n;
  const port = (p: number) => r.ports.get(p) ?? p;
  const key = (k: WorkloadKey): WorkloadKey => {
    if (k.startsWith('outside:')) return `outside:${r.hosts.get(k.slice('outside:'.length)) ?? k.slice('outside:'.length)}`;
    if (k.startsWith('service:')) return `service:${key(k.slice('service:'.length))}`;
    const [n, name] = k.split('/') as [string, string];
    return `${ns(n)}/${name}`;
  };
  const moved = (k: WorkloadKey) => r.workloads?.get(k) ?? key(k);
  const keys = (ks: readonly WorkloadKey[]) => ks.map(key);
  const action = (a: StepAction): StepAction => {
    switch (a.kind) {
      case 'apply':
        return { ...a, namespaces: a.namespaces.map(ns), creates: { ...a.creates, ...(a.creates.workloads ? { workloads: keys(a.creates.workloads) } : {}), ...(a.creates.services ? { services: keys(a.creates.services) } : {}) }, ...(a.waitFor ? { waitFor: keys(a.waitFor) } : {}) };
      case 'wait':
      case 'discover':
        return { ...a, workloads: keys(a.workloads) };
      case 'inspect-network':
      case 'serve-http':
      case 'stop-http':
        return { ...a, vm: key(a.vm) };
      case 'discover-services':
        return { ...a, services: keys(a.services) };
      case 'migrate-under-traffic':
        return { ...a, server: moved(a.server), client: moved(a.client) };
      default:
        return a;
    }
  };
  return {
    ...s,
    networks: s.networks.map((n) => ({ ...n, namespaces: n.namespaces.map(ns), subnet: r.subnets.get(n.namespaces[0]!) ?? n.subnet })),
    workloads: s.workloads.map((w) => ({
      ...w,
      namespace: ns(w.namespace),
      ...(w.node ? { node: r.nodes.get(w.node) ?? w.node } : {}),
      ...(w.httpPort ? { httpPort: port(w.httpPort) } : {}),
    })),
    policies: s.policies.map((p) => ({ ...p, namespace: ns(p.namespace), ingressTcpPorts: p.ingressTcpPorts.map(port) })),
    services: s.services.map((x) => ({ ...x, namespace: ns(x.namespace) })),
    outside: s.outside.map((h) => r.hosts.get(h) ?? h),
    steps: s.steps.map((step) => ({
      ...step,
      byHand: r.byHand?.(step.byHand) ?? step.byHand,
      run: action(step.run),
      ...(step.checks
        ? { checks: step.checks.map((c) => ({ ...c, ...(c.probes ? { probes: c.probes.map((p) => ({ ...p, from: key(p.from), to: key(p.to), ...(p.port ? { port: port(p.port) } : {}) })) } : {}) })) }
        : {}),
    })),
  } as S;
}
