import type { StepDef } from './types.ts';

/** The steps every scenario begins with; a run of several scenarios has them once. */
export const PREFLIGHT = { id: 'preflight', title: 'Check the tools the cluster provider needs', timeoutSeconds: 120, needs: [], run: { kind: 'check-tools' } } as const satisfies StepDef;
export const ENSURE_CLUSTER = { id: 'ensure-cluster', title: 'Create or reuse the cluster', timeoutSeconds: 3600, needs: ['preflight'], run: { kind: 'provide-cluster' } } as const satisfies StepDef;

/** The step every scenario ends with, after the steps whose checks it reports. */
export function reportStep<const N extends readonly string[]>(needs: N) {
  return { id: 'report', title: 'Write the run report', timeoutSeconds: 120, needs, skippable: true, run: { kind: 'write-report' } } as const satisfies StepDef;
}
