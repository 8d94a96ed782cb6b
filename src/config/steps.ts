/**
 * The demo's steps in the seed's order, with the default time each may take. Config validates
 * timeout overrides against these ids and the workflow runs them, so both read this one list.
 * Pure data: it is bundled into workflow code.
 */
export const STEP_CATALOGUE = [
  { id: 'preflight', title: 'Check the tools the cluster provider needs', timeoutSeconds: 120 },
  { id: 'ensure-cluster', title: 'Create or reuse the cluster', timeoutSeconds: 3600 },
  { id: 'apply-green-network', title: 'Create namespace green and its primary Layer2 UDN', timeoutSeconds: 120 },
  { id: 'apply-green-workloads', title: 'Deploy the webserver pod and VMs vm-a, vm-b in green', timeoutSeconds: 120 },
  { id: 'wait-green-ready', title: "Wait for green's UDN, pod and VMs to be ready", timeoutSeconds: 900 },
  { id: 'discover-addresses', title: 'Discover the workloads’ UDN addresses', timeoutSeconds: 120 },
  { id: 'check-east-west', title: 'East/west: vm-a reaches the webserver pod', timeoutSeconds: 300 },
  { id: 'check-egress', title: 'Egress: vm-a reaches a host outside the cluster', timeoutSeconds: 300 },
  { id: 'live-migration', title: 'A TCP session survives the live migration of vm-b', timeoutSeconds: 1200 },
  { id: 'apply-blue', title: 'Create namespace blue, its UDN and its vm-a', timeoutSeconds: 120 },
  { id: 'wait-blue-ready', title: "Wait for blue's UDN and VM to be ready", timeoutSeconds: 900 },
  { id: 'check-isolation', title: 'Isolation: blue and green cannot reach each other', timeoutSeconds: 300 },
  { id: 'check-netpol-baseline', title: 'Before the policy: vm-a reaches port 9000', timeoutSeconds: 300 },
  { id: 'apply-netpol', title: 'Apply the NetworkPolicy that allows only TCP 9001', timeoutSeconds: 120 },
  { id: 'check-netpol-blocks', title: 'The policy blocks port 9000', timeoutSeconds: 300 },
  { id: 'apply-new-webserver', title: 'Deploy new-webserver listening on 9001', timeoutSeconds: 300 },
  { id: 'check-netpol-allows', title: 'The policy allows port 9001', timeoutSeconds: 300 },
  { id: 'report', title: 'Write the run report', timeoutSeconds: 120 },
] as const;

export type StepId = (typeof STEP_CATALOGUE)[number]['id'];
export const STEP_IDS = STEP_CATALOGUE.map((s) => s.id) as [StepId, ...StepId[]];
