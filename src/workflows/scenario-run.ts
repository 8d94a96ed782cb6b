import { executeChild, patched, workflowInfo } from '@temporalio/workflow';
import { checkFromObservations } from '../analysis/checks.ts';
import { guestNetworkCheck } from '../analysis/guest-network.ts';
import { migrationCheck, migrationSummary } from '../analysis/migration-check.ts';
import type { ReadinessTarget, ServiceAddresses } from '../model/activities.ts';
import type { ClusterRef } from '../model/cluster.ts';
import type { CleanupRecord } from '../model/result.ts';
import { workloadKey, type Inventory, type WorkloadRef } from '../model/workload.ts';
import { expectedProbes, workloadRef } from '../scenarios/expected-probes.ts';
import { networkOf, stateAt, workloadKeyOf } from '../scenarios/network-model.ts';
import { describeService } from '../analysis/services.ts';
import type { Scenario, StepAction, StepDef, WorkloadKey } from '../scenarios/types.ts';
import { activitiesFor, cleanupActivities, stepTimeoutSeconds } from './activity-options.ts';
import { ensureClusterRequest, preflightRequest, type DemoInput } from './demo-input.ts';
import { ClusterHold } from './cluster-lease.ts';
import { LiveMigrationWorkflow } from './live-migration-workflow.ts';
import { rootFailure, type Act, type StepTracker } from './step-tracker.ts';

type Of<K extends StepAction['kind']> = Extract<StepAction, { kind: K }>;

/**
 * One run of a scenario: the state steps hand on to later steps (the cluster, the discovered
 * addresses, the namespaces applied to) and one handler per kind of step action. Every side
 * effect is an activity or a child workflow.
 */
export class ScenarioRun {
  private clusterRef: ClusterRef | undefined;
  readonly inventory: Inventory = [];
  /** The Services discovered so far, for the probes that enter them. */
  private readonly services: ServiceAddresses[] = [];
  /** Namespaces the run has applied to: what cancelling it removes. */
  private readonly namespaces = new Set<string>();
  /** Cluster-wide networks it has applied: cluster-scoped, so removing the namespaces leaves them. */
  private readonly clusterNetworks = new Set<string>();

  /** One run per cluster: held from the first apply to the run's end. */
  readonly hold: ClusterHold;

  constructor(
    readonly input: DemoInput,
    readonly scenario: Scenario,
    readonly tracker: StepTracker,
  ) {
    this.hold = new ClusterHold(input);
  }

  get cluster(): ClusterRef {
    if (!this.clusterRef) throw new Error('ensure-cluster has not run yet');
    return this.clusterRef;
  }

  /** Runs one step of the table (`round`: 1, then one more per operator retry); returns its one-line outcome. */
  step(def: StepDef, act: Act, round = 1): Promise<string> {
    const a = def.run;
    switch (a.kind) {
      case 'check-tools':
        return this.preflight(def, act);
      case 'provide-cluster':
        return this.ensureCluster(def, act);
      case 'apply':
        return this.apply(def, act, a);
      case 'wait':
        return this.waitAndDiscover(def, act, a.workloads, a.networks);
      case 'discover':
        return this.discover(def, act, a);
      case 'probe':
        return this.probe(def, act);
      case 'inspect-network':
        return this.inspectNetwork(def, act, a);
      case 'migrate-under-traffic':
        return this.liveMigration(def, act, a, round);
      case 'discover-services':
        return this.discoverServices(def, act, a);
      case 'serve-http':
      case 'stop-http':
        return this.guestServer(def, act, a);
      case 'write-report':
        return this.report(def, act);
    }
  }

  private acts(def: StepDef, summary: string) {
    return activitiesFor(this.input, def.id, summary);
  }

  private ref(key: WorkloadKey): WorkloadRef {
    return workloadRef(this.scenario, key);
  }

  private async preflight(def: StepDef, act: Act): Promise<string> {
    const { provider } = this.input;
    const report = await act(this.acts(def, `tools for ${provider}`).preflight(preflightRequest(this.input)));
    return `${report.tools.filter((t) => t.found).length}/${report.tools.length} tools present for ${provider}`;
  }

  private async ensureCluster(def: StepDef, act: Act): Promise<string> {
    const { provider, clusterName } = this.input;
    this.clusterRef = await act(this.acts(def, `${provider} cluster ${clusterName}`).ensureCluster(ensureClusterRequest(this.input)));
    return `${this.cluster.provider} cluster ${this.cluster.name} ready`;
  }

  private async apply(def: StepDef, act: Act, a: Of<'apply'>): Promise<string> {
    const claim = this.hold.take(this.cluster, def.id);
    if (claim) await act(claim);
    for (const ns of a.namespaces) this.namespaces.add(ns);
    for (const n of a.creates.networks ?? []) if (this.scenario.networks.find((x) => x.name === n)?.scope === 'cluster') this.clusterNetworks.add(n);
    const out = await act(this.acts(def, `apply ${a.bundle}`).applyManifests({ cluster: this.cluster, bundle: a.bundle, scenario: this.input.scenario }));
    const counts = new Map<string, number>();
    for (const o of out.objects) counts.set(o.action, (counts.get(o.action) ?? 0) + 1);
    const applied = out.objects.length === 0 ? 'nothing to apply' : `${out.objects.length} objects: ${[...counts].map(([x, n]) => `${n} ${x}`).join(', ')}`;
    return a.waitFor ? `${applied}; ${await this.waitAndDiscover(def, act, a.waitFor, [])}` : applied;
  }

  private async waitAndDiscover(def: StepDef, act: Act, keys: readonly WorkloadKey[], networks: readonly string[]): Promise<string> {
    const workloads = keys.map((k) => this.ref(k));
    const udns = networks.map((name): ReadinessTarget => {
      const n = this.scenario.networks.find((x) => x.name === name)!;
      return n.scope === 'cluster' ? { kind: 'ClusterUserDefinedNetwork', name } : { kind: 'UserDefinedNetwork', namespace: n.namespaces[0]!, name };
    });
    const targets: ReadinessTarget[] = [...udns, ...workloads.map((w) => ({ kind: w.kind, namespace: w.namespace, name: w.name }))];
    const a = this.acts(def, `wait for ${[...udns.map((u) => ('namespace' in u ? `${u.namespace}/${u.name}` : u.name)), ...workloads.map(workloadKey)].join(', ')}`);
    const report = await act(a.waitReady({ cluster: this.cluster, targets, timeoutSeconds: stepTimeoutSeconds(this.input, def.id) }));
    const found = await act(a.discoverAddresses({ cluster: this.cluster, workloads }));
    return `${report.ready.length} ready in ${(report.waitedMs / 1000).toFixed(1)} s; ${this.remember(found)}`;
  }

  private async discover(def: StepDef, act: Act, a: Of<'discover'>): Promise<string> {
    const workloads = a.workloads.map((k) => this.ref(k));
    const found = await act(this.acts(def, workloads.map(workloadKey).join(', ')).discoverAddresses({ cluster: this.cluster, workloads }));
    return this.remember(found);
  }

  private remember(found: Inventory): string {
    for (const entry of found) {
      const i = this.inventory.findIndex((e) => workloadKey(e) === workloadKey(entry));
      if (i >= 0) this.inventory[i] = entry;
      else this.inventory.push(entry);
    }
    return found.map((e) => `${e.name} ${e.udnIP} on ${e.node}`).join(', ');
  }

  private addressOf(w: WorkloadRef): string {
    const entry = this.inventory.find((e) => workloadKey(e) === workloadKey(w));
    if (!entry) throw new Error(`no address discovered for ${workloadKey(w)}`);
    return entry.udnIP;
  }

  /** Every probe of the step's checks in one activity; each check's expectations come from the network model. */
  private async probe(def: StepDef, act: Act): Promise<string> {
    const checks = (def.checks ?? []).map((c) => ({ check: c, probes: expectedProbes(this.scenario, def, c) }));
    const probes = checks.flatMap((c) => c.probes);
    const { guest, probes: timing } = this.input.scenario;
    const services = this.services.length > 0 ? { services: this.services } : {};
    const observations = await act(this.acts(def, `${probes.length} probe(s)`).runProbes({ cluster: this.cluster, inventory: this.inventory, probes, guest, timing, ...services }));
    let offset = 0;
    const verdicts: string[] = [];
    for (const { check, probes: mine } of checks) {
      const result = checkFromObservations(check.id, check.description, observations.slice(offset, offset + mine.length), def.id);
      offset += mine.length;
      this.tracker.addCheck(result);
      verdicts.push(`${check.id} ${result.passed ? 'passed' : 'FAILED'}: ${result.observed}`);
    }
    return verdicts.join('; ');
  }

  private async inspectNetwork(def: StepDef, act: Act, a: Of<'inspect-network'>): Promise<string> {
    const vm = this.ref(a.vm);
    const network = networkOf(stateAt(this.scenario, def), vm.namespace);
    if (!network) throw new Error(`scenario ${this.scenario.id}: ${a.vm} is on no primary network at step ${def.id}`);
    const { guest, probes: timing } = this.input.scenario;
    const seen = await act(this.acts(def, `ip -j addr/route in ${workloadKey(vm)}`).inspectGuestNetwork({ cluster: this.cluster, vm, guest, timing }));
    const check = def.checks![0]!;
    const result = guestNetworkCheck(check.id, check.description, { address: this.addressOf(vm), subnet: network.subnet, mtu: network.mtu }, seen, def.id);
    this.tracker.addCheck(result);
    return `${check.id} ${result.passed ? 'passed' : 'FAILED'}: ${result.observed}`;
  }

  private async liveMigration(def: StepDef, act: Act, a: Of<'migrate-under-traffic'>, round: number): Promise<string> {
    const m = this.input.scenario.migration;
    const server = this.ref(a.server);
    // A retried migration is a new experiment: its own child, migration object and capture (the
    // first round keeps the id runs have always used; runs before this retried under it again).
    const again = round > 1 && patched('migration-per-round') ? `/round-${round}` : '';
    const child = executeChild(LiveMigrationWorkflow, {
      workflowId: `${workflowInfo().workflowId}/${def.id}${again}`,
      args: [
        {
          cluster: this.cluster,
          server,
          client: this.ref(a.client),
          serverAddress: this.addressOf(server),
          port: m.port,
          intervalMs: m.intervalMs,
          tailSeconds: m.tailSeconds,
          guest: this.input.scenario.guest,
          timeouts: this.input.timeouts,
          retry: this.input.retry,
          step: def.id,
        },
      ],
    });
    const { migration, traffic, trafficSkipped, captureStartedAt } = await act(child.then((r) => ({ attempt: r.attempts, value: r })));
    this.tracker.result.migration = migrationSummary(workloadKey(server), migration, traffic);
    const check = def.checks![0]!;
    this.tracker.addCheck(migrationCheck(check.id, check.description, migration, traffic, trafficSkipped, m.maxDowntimeMs, def.id, captureStartedAt));
    const kept = migration.addressBefore === migration.addressAfter;
    return `${workloadKey(server)} ${migration.sourceNode} → ${migration.targetNode}, ${migration.addressBefore} kept: ${kept}; ${traffic ? traffic.summary : 'traffic not measured yet'}`;
  }

  private async discoverServices(def: StepDef, act: Act, a: Of<'discover-services'>): Promise<string> {
    const refs = a.services.map((key) => {
      const [namespace, name] = key.split('/') as [string, string];
      return { namespace, name };
    });
    // Allowing twice a probe's "eventually" for what the cluster has to assign (MetalLB's address).
    const wait = Math.min(this.input.scenario.probes.eventuallySeconds * 2, stepTimeoutSeconds(this.input, def.id) / 2);
    const found = await act(this.acts(def, a.services.join(', ')).discoverServices({ cluster: this.cluster, services: refs, timeoutSeconds: wait }));
    for (const s of found) {
      const i = this.services.findIndex((x) => x.namespace === s.namespace && x.name === s.name);
      if (i >= 0) this.services[i] = s;
      else this.services.push(s);
    }
    this.tracker.result.services = [...this.services];
    return found.map(describeService).join('; ');
  }

  /** Starts (or stops) a VM's web server on its UDN address; the pid stays in the guest, named by the run. */
  private async guestServer(def: StepDef, act: Act, a: Of<'serve-http'> | Of<'stop-http'>): Promise<string> {
    const vm = this.ref(a.vm);
    const serves = this.scenario.workloads.find((w) => workloadKeyOf(w) === a.vm)?.serves;
    if (!serves) throw new Error(`scenario ${this.scenario.id}: ${a.vm} serves nothing`);
    const { guest, probes: timing } = this.input.scenario;
    const req = { cluster: this.cluster, vm, bindAddress: this.addressOf(vm), port: serves.port, serverId: `udn-demo-${vm.name}-${serves.port}`, guest, timing };
    const acts = this.acts(def, `${a.kind === 'serve-http' ? 'start' : 'stop'} the web server in ${a.vm}`);
    const state = await act(a.kind === 'serve-http' ? acts.startGuestServer(req) : acts.stopGuestServer(req));
    return `${a.vm}: ${state.command}: ${state.action}${state.pid ? ` (pid ${state.pid})` : ''}${state.output ? `; ${state.output.split('\n')[0]}` : ''}`;
  }

  private async report(def: StepDef, act: Act): Promise<string> {
    const out = await act(this.acts(def, 'markdown, html, json, junit').writeReport({ result: { ...this.tracker.result, status: this.tracker.verdict() } }));
    return out.files.join(', ');
  }

  /** Removes what the run created; a failing cleanup is recorded, not thrown, so the run still ends cancelled. */
  async cleanup(removeCluster: boolean): Promise<CleanupRecord> {
    try {
      const { value } = await cleanupActivities(this.input).cleanupRun({
        ...ensureClusterRequest(this.input),
        ...(this.clusterRef ? { cluster: this.clusterRef } : {}),
        namespaces: [...this.namespaces],
        ...(this.clusterNetworks.size > 0 ? { clusterNetworks: [...this.clusterNetworks] } : {}),
        removeCluster,
        holder: workflowInfo().workflowId,
      });
      return value;
    } catch (err) {
      return { removed: [], error: `${rootFailure(err).message}; remove what is left with \`udn-demo teardown\`` };
    }
  }
}
