import type { ScenarioConfig } from '../config/schema.ts';
import type { ReadinessTarget } from '../model/activities.ts';
import type { Probe } from '../model/probe.ts';
import type { WorkloadRef } from '../model/workload.ts';

/** The names the seed's manifests give; namespaces come from config. */
export const GREEN_UDN = 'namespace-scoped';
export const BLUE_UDN = 'separate-namespace';

export function demoWorkloads(s: ScenarioConfig) {
  const pod = (namespace: string, name: string): WorkloadRef => ({ namespace, kind: 'Pod', name });
  const vmi = (namespace: string, name: string): WorkloadRef => ({ namespace, kind: 'VirtualMachineInstance', name });
  const green = s.green.namespace;
  return {
    webserver: pod(green, 'webserver'),
    newWebserver: pod(green, 'new-webserver'),
    greenVmA: vmi(green, 'vm-a'),
    greenVmB: vmi(green, 'vm-b'),
    migrated: vmi(green, s.migration.vm),
    migrationClient: vmi(green, s.migration.client),
    blueVmA: vmi(s.blue.namespace, 'vm-a'),
  };
}
export type DemoWorkloads = ReturnType<typeof demoWorkloads>;

export function readinessOf(w: WorkloadRef): ReadinessTarget {
  return { kind: w.kind, namespace: w.namespace, name: w.name };
}

export function httpProbe(from: WorkloadRef, to: WorkloadRef, port: number, expect: Probe['expect']): Probe {
  return { from, to: { workload: to }, protocol: 'http', port, path: '/hostname', expect };
}

export function pingProbe(from: WorkloadRef, to: WorkloadRef | string, expect: Probe['expect']): Probe {
  return { from, to: typeof to === 'string' ? { host: to } : { workload: to }, protocol: 'icmp', expect };
}
