import type { Probe, ProbeSource, ProbeTarget } from '../model/probe.ts';
import type { WorkloadRef } from '../model/workload.ts';
import { mayReach, OUTSIDE_CLIENT, OUTSIDE_HOST, stateAt } from './network-model.ts';
import type { CheckDef, ProbeDef, Scenario, StepDef, WorkloadDef, WorkloadKey } from './types.ts';

/** A check's probes with what the network model expects of each at that step: the verdict, why, and the answer. */
export function expectedProbes(s: Scenario, step: StepDef, check: CheckDef): Probe[] {
  const state = stateAt(s, step);
  return (check.probes ?? []).map((p) => {
    const e = mayReach(state, p.from, p.to, p.protocol, p.port, p.via);
    const to = targetOf(s, p);
    return {
      from: sourceOf(s, p.from),
      to,
      protocol: p.protocol,
      ...(p.port === undefined ? {} : { port: p.port }),
      // agnhost names itself at /hostname; a Service's web server lists its directory at /.
      ...(p.protocol === 'http' ? { path: 'workload' in to ? '/hostname' : '/' } : {}),
      expect: e.allowed ? 'allow' : 'deny',
      ...(e.body === undefined ? {} : { body: e.body }),
      ...(e.bodyContains === undefined ? {} : { bodyContains: e.bodyContains }),
      why: e.reason,
    };
  });
}

function sourceOf(s: Scenario, key: WorkloadKey): ProbeSource {
  if (key === OUTSIDE_CLIENT) return { outside: 'client' };
  if (key === OUTSIDE_HOST) return { outside: 'host' };
  return workloadRef(s, key);
}

function targetOf(s: Scenario, p: ProbeDef): ProbeTarget {
  if (p.to.startsWith('outside:')) return { host: p.to.slice('outside:'.length) };
  if (p.to.startsWith('service:')) {
    const [namespace, name] = p.to.slice('service:'.length).split('/') as [string, string];
    if (!p.via) throw new Error(`scenario ${s.id}: a probe of ${p.to} must say how it enters it (via)`);
    return { service: { namespace, name }, via: p.via };
  }
  return { workload: workloadRef(s, p.to) };
}

export function workloadRef(s: Scenario, key: WorkloadKey): WorkloadRef {
  const w = s.workloads.find((x) => `${x.namespace}/${x.name}` === key);
  if (!w) throw new Error(`scenario ${s.id}: no workload ${key}`);
  return refOf(w);
}

export function refOf(w: WorkloadDef): WorkloadRef {
  return { namespace: w.namespace, kind: w.kind === 'vm' ? 'VirtualMachineInstance' : 'Pod', name: w.name };
}
