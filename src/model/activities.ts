import type { GuestConfig, KindConfig, ProbeTiming, ScenarioConfig } from '../config/schema.ts';
import type { ClusterRef, EmulationOptions, ProviderName } from './cluster.ts';
import type { Probe, ProbeObservation, ServiceRef } from './probe.ts';
import type { CleanupRecord, DemoResult } from './result.ts';
import type { Inventory, WorkloadRef } from './workload.ts';

/**
 * The activity contract between workflows and the worker. Workflows import these types only;
 * the bodies live beside this file and in src/cluster.
 */
export interface DemoActivities {
  preflight(req: PreflightRequest): Promise<PreflightReport>;
  ensureCluster(req: EnsureClusterRequest): Promise<ClusterRef>;
  applyManifests(req: ApplyRequest): Promise<ApplyOutcome>;
  waitReady(req: WaitReadyRequest): Promise<ReadinessReport>;
  discoverAddresses(req: DiscoverRequest): Promise<Inventory>;
  runProbes(req: ProbeRequest): Promise<ProbeObservation[]>;
  inspectGuestNetwork(req: GuestNetworkRequest): Promise<GuestNetworkReport>;
  discoverServices(req: ServicesRequest): Promise<ServiceAddresses[]>;
  startGuestServer(req: GuestServerRequest): Promise<GuestServerState>;
  stopGuestServer(req: GuestServerRequest): Promise<GuestServerState>;
  startTraffic(req: StartTrafficRequest): Promise<TrafficHandle>;
  migrateVmi(req: MigrateRequest): Promise<MigrationRecord>;
  collectTraffic(req: CollectTrafficRequest): Promise<TrafficReport>;
  writeReport(req: WriteReportRequest): Promise<ReportFiles>;
  cleanupRun(req: CleanupRequest): Promise<CleanupRecord>;
  claimCluster(req: LeaseRequest): Promise<LeaseClaim>;
  releaseCluster(req: LeaseRequest): Promise<boolean>;
}

/**
 * The activities' names, in the worker's order: the CLI names them in `--fail-activity`'s help and
 * checks that flag without loading the bodies (test/unit/activity-names.test.ts keeps this in step).
 */
export const ACTIVITY_NAMES = [
  'preflight', 'ensureCluster', 'applyManifests', 'waitReady', 'discoverAddresses', 'runProbes', 'inspectGuestNetwork', 'discoverServices', 'startGuestServer',
  'stopGuestServer', 'startTraffic', 'migrateVmi', 'collectTraffic', 'writeReport', 'cleanupRun', 'claimCluster', 'releaseCluster',
] as const satisfies readonly (keyof DemoActivities)[];

export interface PreflightRequest {
  provider: ProviderName;
  clusterName: string;
  /** The kind provider's pins; they decide what it needs (Go only without a prebuilt image). */
  kind?: KindConfig;
}
export interface PreflightReport {
  provider: ProviderName;
  tools: { name: string; found: boolean; version?: string; hint?: string }[];
}

export interface EnsureClusterRequest {
  provider: ProviderName;
  clusterName: string;
  /** The sandbox's timings and faults; ignored by other providers. */
  sandbox?: EmulationOptions;
  kind?: KindConfig;
}

/** The talk's manifests, grouped as the demo applies them. */
/** `tenant`: green's network and workloads, rendered into one tenant's namespace (`udn-demo tenants`); `cluster-*`: the cluster-wide scenario's. */
export type ManifestBundle = 'green-network' | 'green-workloads' | 'blue' | 'netpol' | 'new-webserver' | 'tenant' | 'cluster-networks' | 'cluster-workloads' | 'cluster-service';
export interface ApplyRequest {
  cluster: ClusterRef;
  bundle: ManifestBundle;
  scenario: ScenarioConfig;
}
export interface AppliedObject {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  /** `deleted`: left over from an earlier run, removed so this run starts from the talk's first state. */
  action: 'created' | 'configured' | 'unchanged' | 'deleted';
}
export interface ApplyOutcome {
  bundle: ManifestBundle;
  objects: AppliedObject[];
}

export type ReadinessTarget =
  | { kind: 'UserDefinedNetwork'; namespace: string; name: string }
  /** Cluster-scoped: no namespace. */
  | { kind: 'ClusterUserDefinedNetwork'; name: string }
  | { kind: 'Pod'; namespace: string; name: string }
  | { kind: 'VirtualMachineInstance'; namespace: string; name: string; agentConnected?: boolean };
export interface WaitReadyRequest {
  cluster: ClusterRef;
  targets: ReadinessTarget[];
  timeoutSeconds: number;
}
export interface ReadinessReport {
  ready: { target: ReadinessTarget; readyAt: string }[];
  waitedMs: number;
}

export interface DiscoverRequest {
  cluster: ClusterRef;
  workloads: WorkloadRef[];
}

export interface ProbeRequest {
  cluster: ClusterRef;
  inventory: Inventory;
  probes: Probe[];
  /** The login, by reference: the password is read from the named environment variable by the worker. */
  guest: GuestConfig;
  timing: ProbeTiming;
  /**
   * `failures`: only probes that did not pass, and the first that did, keep their evidence; the
   * rest keep the command line. For many probes at once (isolation across N tenants), where the
   * evidence of thousands of passes would fill the workflow's history. Absent: all.
   */
  evidence?: 'all' | 'failures';
  /** The addresses of the Services probes enter (from discoverServices). */
  services?: ServiceAddresses[];
}

export interface GuestNetworkRequest {
  cluster: ClusterRef;
  vm: WorkloadRef;
  /** The console login, by reference (see ProbeRequest). */
  guest: GuestConfig;
  timing: ProbeTiming;
}
/** One command typed on the console and what it printed. */
export interface GuestCommandOutput {
  command: string;
  output: string;
  exitCode: number;
}
/** What `ip -j addr show` and `ip -j route show` printed in the guest. */
export interface GuestNetworkReport {
  addresses: GuestCommandOutput;
  routes: GuestCommandOutput;
}

export interface ServicesRequest {
  cluster: ClusterRef;
  services: ServiceRef[];
  /** How long to wait for the addresses and a ready endpoint; what is still missing then is reported, not thrown. */
  timeoutSeconds: number;
}
/** What the cluster made of a Service: its addresses (API server, load balancer) and its endpoints (EndpointSlices). */
export interface ServiceAddresses extends ServiceRef {
  type: string;
  port: number;
  clusterIP?: string;
  nodePort?: number;
  /** The node whose InternalIP a NodePort probe enters by (the first worker, as the talk did). */
  node?: { name: string; address: string };
  ingressIP?: string;
  /** The load balancer's pool, as MetalLB annotates it. */
  ingressPool?: string;
  endpoints: { pod: string; address: string; node?: string; ready: boolean }[];
  /** What was still missing when the wait ended, e.g. `no ingress IP assigned within 60 s`. */
  missing: string[];
}

export interface GuestServerRequest {
  cluster: ClusterRef;
  vm: WorkloadRef;
  bindAddress: string;
  port: number;
  /** Names the pid and log files in the guest, so a retried start finds the server it started. */
  serverId: string;
  /** The console login, by reference (see ProbeRequest). */
  guest: GuestConfig;
  timing: ProbeTiming;
}
export interface GuestServerState {
  /** The server's pid in the guest; absent once stopped. */
  pid?: number;
  /** `started`, `already running` (a retry found it), `stopped`, `not running`. */
  action: 'started' | 'already running' | 'stopped' | 'not running';
  /** The command as typed, and what the server printed first (python's "Serving HTTP on …"). */
  command: string;
  output: string;
}

export interface StartTrafficRequest {
  cluster: ClusterRef;
  /** Names the guest-side files and processes, so a retried start finds its own. */
  experimentId: string;
  server: WorkloadRef;
  client: WorkloadRef;
  serverAddress: string;
  port: number;
  intervalMs: number;
  /** The console login, by reference (see ProbeRequest). */
  guest: GuestConfig;
}
export interface TrafficHandle {
  experimentId: string;
  server: WorkloadRef;
  client: WorkloadRef;
  serverAddress: string;
  port: number;
  startedAt: string;
  /** An earlier client had ended (its one-off server consumed): the experiment started over. */
  restarted: boolean;
}

export interface MigrateRequest {
  cluster: ClusterRef;
  vmi: WorkloadRef;
  /** Derived from the workflow and step, so a retried activity finds its migration instead of starting a second. */
  migrationName: string;
  timeoutSeconds: number;
}
export interface MigrationRecord {
  migrationName: string;
  sourceNode: string;
  targetNode: string;
  startedAt: string;
  endedAt: string;
  addressBefore: string;
  addressAfter: string;
}

export interface CollectTrafficRequest {
  cluster: ClusterRef;
  handle: TrafficHandle;
  migration: MigrationRecord;
  tailSeconds: number;
  guest: GuestConfig;
}
/** One capture's verdict (iperf3: the TCP session; ping: the network path). */
export interface CaptureSummary {
  survived: boolean;
  downtimeMs: number | null;
  resolutionMs: number | null;
  error: string | null;
}
export interface TrafficReport {
  /** The TCP session (iperf3) kept going across the migration. */
  survived: boolean;
  /** The longest outage at the finest resolution measured (the 10 ms ping, else iperf3's reports). */
  downtimeMs: number | null;
  resolutionMs: number | null;
  retransmits: number | null;
  throughputBeforeGbps: number | null;
  throughputAfterGbps: number | null;
  iperf3: CaptureSummary;
  ping: CaptureSummary;
  restarted: boolean;
  /** Where the raw iperf3 and ping outputs were saved; they are too large for history. */
  rawFiles: string[];
  summary: string;
}

export interface WriteReportRequest {
  result: DemoResult;
}
export interface ReportFiles {
  files: string[];
}

/** What a cancelled run removes: the namespaces it applied to, and the cluster only when asked. */
export interface CleanupRequest extends EnsureClusterRequest {
  /** Absent when the run was cancelled before its cluster was ready. */
  cluster?: ClusterRef;
  namespaces: string[];
  /** The ClusterUserDefinedNetworks the run applied (absent in runs before there were any). */
  clusterNetworks?: string[];
  removeCluster: boolean;
  /** The cancelled run: what it removes is left alone when another run holds the cluster (absent in older runs). */
  holder?: string;
}

/** One run per cluster: the run (`holder`, its workflow id) that may change the cluster's demo objects. */
export interface LeaseRequest {
  cluster: ClusterRef;
  holder: string;
  /** The one earlier holder this run may replace: a run the person checked has ended (`--take-over`). */
  takeOver?: string;
}
export interface LeaseClaim {
  outcome: 'claimed' | 'held' | 'taken-over';
}

/** An activity result with the attempt that produced it, so steps can report their retries. */
export interface Attempted<T> {
  attempt: number;
  value: T;
}

export type Instrumented<A> = {
  [K in keyof A]: A[K] extends (...args: infer P) => Promise<infer R> ? (...args: P) => Promise<Attempted<R>> : never;
};

/** Failure types a retry cannot fix; workflows list them as non-retryable too. */
export const NON_RETRYABLE_TYPES = ['NotImplemented', 'InvalidInput', 'PreflightFailed', 'NotReady', 'MigrationFailed', 'ClusterBusy'] as const;
