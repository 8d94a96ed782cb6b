import { CancellationScope, executeChild, isCancellation, patched, setHandler, workflowInfo } from '@temporalio/workflow';
import { checkFromObservations } from '../analysis/checks.ts';
import type { ManifestBundle } from '../model/activities.ts';
import { STEP_IDS, type StepId } from '../config/steps.ts';
import type { ClusterRef } from '../model/cluster.ts';
import type { Probe } from '../model/probe.ts';
import type { CheckId, CleanupRecord, DemoResult } from '../model/result.ts';
import { workloadKey, type Inventory, type WorkloadRef } from '../model/workload.ts';
import { activitiesFor, cleanupActivities, stepTimeoutSeconds } from './activity-options.ts';
import { ensureClusterRequest, preflightRequest, type DemoInput } from './demo-input.ts';
import { BLUE_UDN, GREEN_UDN, demoWorkloads, httpProbe, pingProbe, readinessOf, type DemoWorkloads } from './demo-workloads.ts';
import { LiveMigrationWorkflow } from './live-migration-workflow.ts';
import { cleanupScopeSignal } from './operator-messages.ts';
import { runAsGraph } from './step-graph.ts';
import { StepTracker, rootFailure, type Act } from './step-tracker.ts';

/** The seed's order: the one a presenter follows. */
export const NARRATIVE_ORDER: readonly StepId[] = STEP_IDS;

/** State that steps hand on to later steps. */
class DemoRun {
  private clusterRef: ClusterRef | undefined;
  readonly inventory: Inventory = [];
  readonly w: DemoWorkloads;
  /** Namespaces the run has applied to: what cancelling it removes. */
  private readonly namespaces = new Set<string>();

  constructor(
    readonly input: DemoInput,
    readonly tracker: StepTracker,
  ) {
    this.w = demoWorkloads(input.scenario);
  }

  get cluster(): ClusterRef {
    if (!this.clusterRef) throw new Error('ensure-cluster has not run yet');
    return this.clusterRef;
  }
  set cluster(ref: ClusterRef) {
    this.clusterRef = ref;
  }

  acts(id: StepId, summary: string) {
    return activitiesFor(this.input, id, summary);
  }

  remember(found: Inventory): string {
    for (const entry of found) {
      const i = this.inventory.findIndex((e) => workloadKey(e) === workloadKey(entry));
      if (i >= 0) this.inventory[i] = entry;
      else this.inventory.push(entry);
    }
    return found.map((e) => `${e.name} ${e.udnIP} on ${e.node}`).join(', ');
  }

  addressOf(w: WorkloadRef): string {
    const entry = this.inventory.find((e) => workloadKey(e) === workloadKey(w));
    if (!entry) throw new Error(`no address discovered for ${workloadKey(w)}`);
    return entry.udnIP;
  }

  async apply(id: StepId, act: Act, bundle: ManifestBundle): Promise<string> {
    const { green, blue } = this.input.scenario;
    this.namespaces.add(bundle === 'blue' ? blue.namespace : green.namespace);
    const out = await act(this.acts(id, `apply ${bundle}`).applyManifests({ cluster: this.cluster, bundle, scenario: this.input.scenario }));
    const counts = new Map<string, number>();
    for (const o of out.objects) counts.set(o.action, (counts.get(o.action) ?? 0) + 1);
    if (out.objects.length === 0) return 'nothing to apply';
    return `${out.objects.length} objects: ${[...counts].map(([a, n]) => `${n} ${a}`).join(', ')}`;
  }

  async waitAndDiscover(id: StepId, act: Act, ready: Parameters<typeof readinessOf>[0][], udns: [string, string][]): Promise<string> {
    const a = this.acts(id, `wait for ${[...udns.map(([ns, n]) => `${ns}/${n}`), ...ready.map(workloadKey)].join(', ')}`);
    const targets = [...udns.map(([namespace, name]) => ({ kind: 'UserDefinedNetwork' as const, namespace, name })), ...ready.map(readinessOf)];
    const report = await act(a.waitReady({ cluster: this.cluster, targets, timeoutSeconds: stepTimeoutSeconds(this.input, id) }));
    const found = await act(a.discoverAddresses({ cluster: this.cluster, workloads: ready }));
    return `${report.ready.length} ready in ${(report.waitedMs / 1000).toFixed(1)} s; ${this.remember(found)}`;
  }

  async check(id: StepId, act: Act, checks: { id: CheckId; description: string; probes: Probe[] }[]): Promise<string> {
    const probes = checks.flatMap((c) => c.probes);
    const observations = await act(
      this.acts(id, `${probes.length} probe(s)`).runProbes({
        cluster: this.cluster,
        inventory: this.inventory,
        probes,
        guest: this.input.scenario.guest,
        timing: this.input.scenario.probes,
      }),
    );
    let offset = 0;
    const verdicts: string[] = [];
    for (const c of checks) {
      const mine = observations.slice(offset, offset + c.probes.length);
      offset += c.probes.length;
      const result = checkFromObservations(c.id, c.description, mine);
      this.tracker.addCheck(result);
      verdicts.push(`${c.id} ${result.passed ? 'passed' : 'FAILED'}: ${result.observed}`);
    }
    return verdicts.join('; ');
  }

  /** Removes what the run created; a failing cleanup is recorded, not thrown, so the run still ends cancelled. */
  async cleanup(removeCluster: boolean): Promise<CleanupRecord> {
    try {
      const { value } = await cleanupActivities(this.input).cleanupRun({
        ...ensureClusterRequest(this.input),
        ...(this.clusterRef ? { cluster: this.clusterRef } : {}),
        namespaces: [...this.namespaces],
        removeCluster,
      });
      return value;
    } catch (err) {
      return { removed: [], error: `${rootFailure(err).message}; remove what is left with \`udn-demo teardown\`` };
    }
  }
}

type StepBody = (run: DemoRun, act: Act) => Promise<string>;

/** Steps no other step depends on: while their activities have not landed, the run goes on without them. */
const SKIPPABLE: ReadonlySet<StepId> = new Set(['check-east-west', 'check-egress', 'check-isolation', 'check-netpol-baseline', 'check-netpol-blocks', 'check-netpol-allows', 'report']);

const STEPS: Record<StepId, StepBody> = {
  preflight: async (run, act) => {
    const { provider } = run.input;
    const report = await act(run.acts('preflight', `tools for ${provider}`).preflight(preflightRequest(run.input)));
    return `${report.tools.filter((t) => t.found).length}/${report.tools.length} tools present for ${provider}`;
  },
  'ensure-cluster': async (run, act) => {
    const { provider, clusterName } = run.input;
    run.cluster = await act(run.acts('ensure-cluster', `${provider} cluster ${clusterName}`).ensureCluster(ensureClusterRequest(run.input)));
    return `${run.cluster.provider} cluster ${run.cluster.name} ready`;
  },
  'apply-green-network': (run, act) => run.apply('apply-green-network', act, 'green-network'),
  'apply-green-workloads': (run, act) => run.apply('apply-green-workloads', act, 'green-workloads'),
  'wait-green-ready': (run, act) =>
    run.waitAndDiscover('wait-green-ready', act, [run.w.webserver, run.w.greenVmA, run.w.greenVmB], [[run.w.webserver.namespace, GREEN_UDN]]),
  'discover-addresses': async (run, act) => {
    const workloads = [run.w.webserver, run.w.greenVmA, run.w.greenVmB];
    const found = await act(run.acts('discover-addresses', workloads.map(workloadKey).join(', ')).discoverAddresses({ cluster: run.cluster, workloads }));
    return run.remember(found);
  },
  'check-east-west': (run, act) =>
    run.check('check-east-west', act, [
      { id: 'east-west', description: 'A VM reaches the pod webserver over the primary UDN', probes: [httpProbe(run.w.greenVmA, run.w.webserver, run.input.scenario.webserverPort, 'allow')] },
    ]),
  'check-egress': (run, act) =>
    run.check('check-egress', act, [
      { id: 'egress', description: 'A VM reaches a host outside the cluster over the primary UDN', probes: [pingProbe(run.w.greenVmA, run.input.scenario.egressHost, 'allow')] },
    ]),
  'live-migration': async (run, act) => {
    const m = run.input.scenario.migration;
    const { workflowId } = workflowInfo();
    const child = executeChild(LiveMigrationWorkflow, {
      workflowId: `${workflowId}/live-migration`,
      args: [
        {
          cluster: run.cluster,
          server: run.w.migrated,
          client: run.w.migrationClient,
          serverAddress: run.addressOf(run.w.migrated),
          port: m.port,
          intervalMs: m.intervalMs,
          tailSeconds: m.tailSeconds,
          guest: run.input.scenario.guest,
          timeouts: run.input.timeouts,
          retry: run.input.retry,
        },
      ],
    });
    const { migration, traffic, trafficSkipped } = await act(child.then((r) => ({ attempt: r.attempts, value: r })));
    run.tracker.result.migration = {
      vmi: workloadKey(run.w.migrated),
      sourceNode: migration.sourceNode,
      targetNode: migration.targetNode,
      ipBefore: migration.addressBefore,
      ipAfter: migration.addressAfter,
      startedAt: migration.startedAt,
      endedAt: migration.endedAt,
      survived: traffic?.survived ?? null,
      downtimeMs: traffic?.downtimeMs ?? null,
      resolutionMs: traffic?.resolutionMs ?? null,
      retransmits: traffic?.retransmits ?? null,
      throughputBeforeGbps: traffic?.throughputBeforeGbps ?? null,
      throughputAfterGbps: traffic?.throughputAfterGbps ?? null,
      captures: traffic?.rawFiles ?? [],
    };
    const moved = migration.sourceNode !== migration.targetNode;
    const kept = migration.addressBefore === migration.addressAfter;
    const limit = m.maxDowntimeMs;
    const quick = traffic?.downtimeMs !== null && traffic?.downtimeMs !== undefined && traffic.downtimeMs <= limit;
    const measured = traffic ? traffic.summary : `TCP session not measured: ${trafficSkipped}`;
    run.tracker.addCheck({
      id: 'live-migration',
      description: 'A TCP session survives the live migration of a VM on the primary UDN, and the VM keeps its address',
      expected: `connection survived; longest outage ≤ ${limit} ms; VM on another node; same address`,
      observed: `${measured}; ${migration.sourceNode} → ${migration.targetNode}; ${migration.addressBefore} → ${migration.addressAfter}`,
      passed: Boolean(traffic?.survived) && quick && moved && kept,
      evidence: traffic ? [traffic.summary, ...traffic.rawFiles] : [],
    });
    return `${workloadKey(run.w.migrated)} ${migration.sourceNode} → ${migration.targetNode}, ${migration.addressBefore} kept: ${kept}; ${traffic ? traffic.summary : 'traffic not measured yet'}`;
  },
  'apply-blue': (run, act) => run.apply('apply-blue', act, 'blue'),
  'wait-blue-ready': (run, act) => run.waitAndDiscover('wait-blue-ready', act, [run.w.blueVmA], [[run.w.blueVmA.namespace, BLUE_UDN]]),
  'check-isolation': (run, act) =>
    run.check('check-isolation', act, [
      { id: 'isolation-blue-to-green', description: "A VM in blue cannot reach green's workloads", probes: [pingProbe(run.w.blueVmA, run.w.greenVmB, 'deny')] },
      { id: 'isolation-green-to-blue', description: "A VM in green cannot reach blue's workloads", probes: [pingProbe(run.w.greenVmA, run.w.blueVmA, 'deny')] },
    ]),
  'check-netpol-baseline': (run, act) =>
    run.check('check-netpol-baseline', act, [
      { id: 'netpol-baseline-9000', description: 'Before the policy, the webserver answers on its port', probes: [httpProbe(run.w.greenVmA, run.w.webserver, run.input.scenario.webserverPort, 'allow')] },
    ]),
  'apply-netpol': (run, act) => run.apply('apply-netpol', act, 'netpol'),
  'check-netpol-blocks': (run, act) =>
    run.check('check-netpol-blocks', act, [
      { id: 'netpol-blocks-9000', description: 'The policy blocks the webserver port', probes: [httpProbe(run.w.greenVmA, run.w.webserver, run.input.scenario.webserverPort, 'deny')] },
    ]),
  'apply-new-webserver': async (run, act) => {
    const applied = await run.apply('apply-new-webserver', act, 'new-webserver');
    return `${applied}; ${await run.waitAndDiscover('apply-new-webserver', act, [run.w.newWebserver], [])}`;
  },
  'check-netpol-allows': (run, act) =>
    run.check('check-netpol-allows', act, [
      { id: 'netpol-allows-9001', description: 'The policy allows the one open port', probes: [httpProbe(run.w.greenVmA, run.w.newWebserver, run.input.scenario.newWebserverPort, 'allow')] },
    ]),
  report: async (run, act) => {
    const out = await act(run.acts('report', 'markdown, html, json, junit').writeReport({ result: { ...run.tracker.result, status: run.tracker.verdict() } }));
    return out.files.join(', ');
  },
};

/**
 * Runs the demo's steps in `order`; every side effect happens in an activity. With `operated`, a
 * step that fails for good waits for an operator, and a cancellation removes what the run
 * created before the run ends.
 */
export async function runDemo(input: DemoInput, order: readonly StepId[] = NARRATIVE_ORDER, opts: { operated?: boolean } = {}): Promise<DemoResult> {
  const tracker = new StepTracker();
  const run = new DemoRun(input, tracker);
  const step = (id: StepId) => tracker.run(id, (act) => STEPS[id](run, act), { skippable: SKIPPABLE.has(id) });
  const steps = async () => {
    if (input.ordering === 'fast') await runAsGraph(step);
    else for (const id of order) await step(id);
    return tracker.finish();
  };
  if (!opts.operated) return steps();
  tracker.useDesk(input.operator?.decisionTimeoutSeconds ?? 0);
  let removeCluster = false;
  setHandler(cleanupScopeSignal, (scope) => void (removeCluster = scope.removeCluster));
  try {
    return await steps();
  } catch (err) {
    if (!isCancellation(err)) throw err;
    tracker.cancelled(await CancellationScope.nonCancellable(() => run.cleanup(removeCluster)));
    throw err;
  }
}

export async function DemoWorkflow(input: DemoInput): Promise<DemoResult> {
  // Runs recorded before operator decisions existed replay on the path they took.
  return runDemo(input, NARRATIVE_ORDER, { operated: patched('operator-decisions') });
}
