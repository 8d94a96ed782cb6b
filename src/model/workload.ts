export type WorkloadKind = 'Pod' | 'VirtualMachineInstance';

export interface WorkloadRef {
  namespace: string;
  kind: WorkloadKind;
  name: string;
}

/** Where a workload runs and its address on its namespace's primary UDN. */
export interface WorkloadAddress extends WorkloadRef {
  node: string;
  udnIP: string;
}

export type Inventory = WorkloadAddress[];

export function workloadKey(w: WorkloadRef): string {
  return `${w.namespace}/${w.name}`;
}
