import type { Probe } from '../model/probe.ts';
import type { WorkloadRef } from '../model/workload.ts';
import { mayReach, stateAt } from './network-model.ts';
import type { CheckDef, Scenario, StepDef, WorkloadDef, WorkloadKey } from './types.ts';

/** A check's probes with what the network model expects of each at that step: the verdict, why, and the answer. */
export function expectedProbes(s: Scenario, step: StepDef, check: CheckDef): Probe[] {
  const state = stateAt(s, step);
  return (check.probes ?? []).map((p) => {
    const e = mayReach(state, p.from, p.to, p.protocol, p.port);
    return {
      from: workloadRef(s, p.from),
      to: p.to.startsWith('outside:') ? { host: p.to.slice('outside:'.length) } : { workload: workloadRef(s, p.to) },
      protocol: p.protocol,
      ...(p.port === undefined ? {} : { port: p.port }),
      ...(p.protocol === 'http' ? { path: '/hostname' } : {}),
      expect: e.allowed ? 'allow' : 'deny',
      ...(e.body === undefined ? {} : { body: e.body }),
      why: e.reason,
    };
  });
}

export function workloadRef(s: Scenario, key: WorkloadKey): WorkloadRef {
  const w = s.workloads.find((x) => `${x.namespace}/${x.name}` === key);
  if (!w) throw new Error(`scenario ${s.id}: no workload ${key}`);
  return refOf(w);
}

export function refOf(w: WorkloadDef): WorkloadRef {
  return { namespace: w.namespace, kind: w.kind === 'vm' ? 'VirtualMachineInstance' : 'Pod', name: w.name };
}
