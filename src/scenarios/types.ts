import type { ManifestBundle } from '../model/activities.ts';
import type { ProbeProtocol, ServiceVia } from '../model/probe.ts';

/**
 * A scenario of the talk as one table: what exists on the cluster (networks, workloads,
 * policies, hosts outside it) and the steps that build it and prove claims about it. Everything
 * here is plain data, in the talk's own names and values; config renames namespaces and ports
 * (see resolve.ts). The runner, the step graph, config, progress and reports all read it.
 */
export interface Scenario {
  id: string;
  title: string;
  networks: readonly NetworkDef[];
  workloads: readonly WorkloadDef[];
  policies: readonly PolicyDef[];
  services: readonly ServiceDef[];
  /** Hosts outside the cluster that the scenario's workloads talk to (the egress target). */
  outside: readonly string[];
  steps: readonly StepDef[];
}

/** A primary network: a namespace's UserDefinedNetwork, or a ClusterUserDefinedNetwork over several namespaces. */
export interface NetworkDef {
  /** The UDN's (or CUDN's) name. */
  name: string;
  scope: 'namespace' | 'cluster';
  /** The namespaces whose pods and VMs it carries. */
  namespaces: readonly string[];
  topology: 'Layer2' | 'Layer3';
  role: 'Primary';
  subnet: string;
  /** What OVN-Kubernetes sets on the guest's interface: the 1500 underlay less GENEVE's overhead. */
  mtu: number;
}

export interface WorkloadDef {
  namespace: string;
  name: string;
  kind: 'pod' | 'vm';
  /** The node the manifest pins it to, if any. */
  node?: string;
  labels: Readonly<Record<string, string>>;
  /** An agnhost netexec server: HTTP on this port, answering `/hostname` with the pod's name. */
  httpPort?: number;
  /** A web server a `serve-http` step starts in the VM (`python3 -m http.server`), and what its answer holds. */
  serves?: { port: number; answerHolds: string };
}

/** A Service as far as reachability needs it: its type, whom it selects, its port. */
export interface ServiceDef {
  namespace: string;
  name: string;
  type: 'ClusterIP' | 'NodePort' | 'LoadBalancer';
  selector: Readonly<Record<string, string>>;
  port: number;
  targetPort: number;
}

/** A NetworkPolicy as far as reachability needs it: whom it selects and what ingress it allows. */
export interface PolicyDef {
  name: string;
  namespace: string;
  /** Labels the pods and VMs it applies to must carry; empty selects every one of the namespace. */
  podSelector: Readonly<Record<string, string>>;
  /** Ingress allowed from anywhere to these TCP ports; everything else to the selected ones is dropped. */
  ingressTcpPorts: readonly number[];
}

/** `namespace/name` of a workload in the table. */
export type WorkloadKey = string;

/** What a step brings into existence; the network model sees it from then on. */
export interface Creates {
  networks?: readonly string[];
  workloads?: readonly WorkloadKey[];
  policies?: readonly string[];
  /** `namespace/name` of Services. */
  services?: readonly string[];
}

/** What a step does, as data; the runner has one handler per kind. */
export type StepAction =
  | { kind: 'check-tools' }
  | { kind: 'provide-cluster' }
  /** Applies a manifest bundle; with `waitFor`, then waits for those workloads and discovers their addresses. */
  | { kind: 'apply'; bundle: ManifestBundle; namespaces: readonly string[]; creates: Creates; waitFor?: readonly WorkloadKey[] }
  /** Waits for networks and workloads to be ready, then discovers the workloads' addresses. */
  | { kind: 'wait'; networks: readonly string[]; workloads: readonly WorkloadKey[] }
  | { kind: 'discover'; workloads: readonly WorkloadKey[] }
  /** Runs the probes of the step's checks; their expectations come from the network model. */
  | { kind: 'probe' }
  /** Reads a VM's interfaces and routes over its console and compares them with its network. */
  | { kind: 'inspect-network'; vm: WorkloadKey }
  /** The live-migration experiment (a child workflow): `server` migrates while `client` measures it. */
  | { kind: 'migrate-under-traffic'; server: WorkloadKey; client: WorkloadKey }
  /** Waits until Services have their addresses (ClusterIP, NodePort, a load balancer's ingress) and ready endpoints. */
  | { kind: 'discover-services'; services: readonly string[] }
  /** Starts the VM's web server (its `serves`) in the background on its UDN address; keeps its pid in the guest. */
  | { kind: 'serve-http'; vm: WorkloadKey }
  /** Stops what `serve-http` started. */
  | { kind: 'stop-http'; vm: WorkloadKey }
  | { kind: 'write-report' };

/** One reachability question; its expected verdict is computed, never written here. */
export interface ProbeDef {
  /** A workload of the table, or outside the cluster: `outside:client` (the client container), `outside:host` (the machine running the cluster). */
  from: WorkloadKey;
  /** A workload of the table, `outside:<host>` for a host outside the cluster, or `service:<namespace>/<name>` (with `via`). */
  to: WorkloadKey;
  protocol: ProbeProtocol;
  /** The port the probe names: the Service's port for a Service (the NodePort is found at run time). */
  port?: number;
  via?: ServiceVia;
}

export interface CheckDef {
  id: string;
  description: string;
  probes?: readonly ProbeDef[];
}

export interface StepDef {
  id: string;
  title: string;
  /** One sentence: what the step shows the audience. */
  shows: string;
  /**
   * What a person types to do the step by hand, as in the talk's script: kubectl and virtctl on
   * the host; a command typed into a VM's console ends in `# in <namespace>/<vm>'s console`, and
   * `<…>` stands for what an earlier command printed (an address, a port). Never run by the demo.
   */
  byHand: readonly string[];
  timeoutSeconds: number;
  /** Steps that must have finished first: real data and state dependencies, not presentation order. */
  needs: readonly string[];
  /** A check nothing depends on: its failure never stops the steps after it. */
  skippable?: boolean;
  run: StepAction;
  checks?: readonly CheckDef[];
  /** Runs recorded before this step existed replay without it (the workflow's `patched()` id). */
  since?: string;
}
