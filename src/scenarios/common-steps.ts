import type { StepDef } from './types.ts';

/** The steps every scenario begins with; a run of several scenarios has them once. */
export const PREFLIGHT = {
  id: 'preflight',
  title: 'Check the tools the cluster provider needs',
  shows: 'The machine has the tools the talk’s setup needs (docker, kind, kubectl, git, jq, …) before anything is created.',
  timeoutSeconds: 120,
  needs: [],
  run: { kind: 'check-tools' },
  byHand: ['docker info', 'kind version', 'kubectl version --client', 'virtctl version --client', 'jq --version', 'git --version'],
} as const satisfies StepDef;

export const ENSURE_CLUSTER = {
  id: 'ensure-cluster',
  title: 'Create or reuse the cluster',
  shows: 'A kind cluster with OVN-Kubernetes in interconnect mode, network segmentation on, Multus, KubeVirt and MetalLB: everything the demo needs.',
  timeoutSeconds: 3600,
  needs: ['preflight'],
  run: { kind: 'provide-cluster' },
  byHand: ['git clone git@github.com:ovn-org/ovn-kubernetes.git', 'cd ovn-kubernetes', 'pushd contrib ; ./kind.sh --multi-network-enable -ic -nse -mlb -ikv; popd'],
} as const satisfies StepDef;

/** The step every scenario ends with, after the steps whose checks it reports. */
export function reportStep<const N extends readonly string[]>(needs: N) {
  return {
    id: 'report',
    title: 'Write the run report',
    shows: 'What the run proved: every step with its outcome, every probe with its expected and observed verdict and its evidence.',
    timeoutSeconds: 120,
    needs,
    skippable: true,
    run: { kind: 'write-report' },
    // By hand, the record is the cluster's state at the end.
    byHand: ['kubectl get udn -A', 'kubectl get cudn', 'kubectl get vmi -A -owide'],
  } as const satisfies StepDef;
}
