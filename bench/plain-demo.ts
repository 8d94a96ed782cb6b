/**
 * The baseline the orchestration benchmarks compare DemoWorkflow with: the same activity functions,
 * the same requests, called one after another by a plain script, with no Temporal anywhere (each
 * body runs in a MockActivityEnvironment, so its heartbeats go nowhere). What DemoWorkflow takes
 * beyond this is what orchestration costs.
 */
import type { Logger } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../src/activities/index.ts';
import type { DemoActivities, ManifestBundle, ReadinessTarget } from '../src/model/activities.ts';
import type { StepId } from '../src/config/steps.ts';
import type { ClusterRef } from '../src/model/cluster.ts';
import type { Probe } from '../src/model/probe.ts';
import { workloadKey, type Inventory, type WorkloadRef } from '../src/model/workload.ts';
import type { DemoInput } from '../src/workflows/demo-input.ts';
import { BLUE_UDN, GREEN_UDN, demoWorkloads, httpProbe, pingProbe, readinessOf } from '../src/workflows/demo-workloads.ts';

export interface StepTime {
  id: StepId;
  ms: number;
}

/** The activities' progress lines: the worker's log has them; the benchmark's terminal does not want them. */
const quiet: Logger = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

type Call = <K extends keyof DemoActivities>(name: K, ...args: Parameters<DemoActivities[K]>) => ReturnType<DemoActivities[K]>;

/** Runs the demo's steps in the seed's order without Temporal; returns each step's wall time. */
export async function runPlainDemo(input: DemoInput, runId: string): Promise<StepTime[]> {
  const activities = createActivities();
  const call: Call = (name, ...args) => new MockActivityEnvironment({}, { logger: quiet }).run(activities[name] as (...a: unknown[]) => Promise<unknown>, ...args) as never;
  const w = demoWorkloads(input.scenario);
  const s = input.scenario;
  const inventory: Inventory = [];
  let cluster!: ClusterRef;
  const remember = (found: Inventory) => {
    for (const e of found) {
      const i = inventory.findIndex((x) => workloadKey(x) === workloadKey(e));
      if (i >= 0) inventory[i] = e;
      else inventory.push(e);
    }
  };
  const apply = (bundle: ManifestBundle) => call('applyManifests', { cluster, bundle, scenario: s });
  const waitAndDiscover = async (ready: WorkloadRef[], udns: [string, string][]) => {
    const targets: ReadinessTarget[] = [...udns.map(([namespace, name]) => ({ kind: 'UserDefinedNetwork' as const, namespace, name })), ...ready.map(readinessOf)];
    await call('waitReady', { cluster, targets, timeoutSeconds: 900 });
    remember(await call('discoverAddresses', { cluster, workloads: ready }));
  };
  const probe = (probes: Probe[]) => call('runProbes', { cluster, inventory, probes, guest: s.guest, timing: s.probes });
  const addressOf = (x: WorkloadRef) => inventory.find((e) => workloadKey(e) === workloadKey(x))!.udnIP;
  const kinds = { ...(input.sandbox ? { sandbox: input.sandbox } : {}), ...(input.kind ? { kind: input.kind } : {}) };

  const steps: [StepId, () => Promise<unknown>][] = [
    ['preflight', () => call('preflight', { provider: input.provider, clusterName: input.clusterName, ...(input.kind ? { kind: input.kind } : {}) })],
    ['ensure-cluster', async () => (cluster = await call('ensureCluster', { provider: input.provider, clusterName: input.clusterName, ...kinds }))],
    ['apply-green-network', () => apply('green-network')],
    ['apply-green-workloads', () => apply('green-workloads')],
    ['wait-green-ready', () => waitAndDiscover([w.webserver, w.greenVmA, w.greenVmB], [[w.webserver.namespace, GREEN_UDN]])],
    ['discover-addresses', async () => remember(await call('discoverAddresses', { cluster, workloads: [w.webserver, w.greenVmA, w.greenVmB] }))],
    ['check-east-west', () => probe([httpProbe(w.greenVmA, w.webserver, s.webserverPort, 'allow')])],
    ['check-egress', () => probe([pingProbe(w.greenVmA, s.egressHost, 'allow')])],
    [
      'live-migration',
      async () => {
        const experimentId = `${runId}-live-migration`;
        const m = s.migration;
        const handle = await call('startTraffic', { cluster, experimentId, server: w.migrated, client: w.migrationClient, serverAddress: addressOf(w.migrated), port: m.port, intervalMs: m.intervalMs, guest: s.guest });
        const migration = await call('migrateVmi', { cluster, vmi: w.migrated, migrationName: `${experimentId}-migration`.slice(0, 63), timeoutSeconds: 600 });
        return call('collectTraffic', { cluster, handle, migration, tailSeconds: m.tailSeconds, guest: s.guest });
      },
    ],
    ['apply-blue', () => apply('blue')],
    ['wait-blue-ready', () => waitAndDiscover([w.blueVmA], [[w.blueVmA.namespace, BLUE_UDN]])],
    ['check-isolation', () => probe([pingProbe(w.blueVmA, w.greenVmB, 'deny'), pingProbe(w.greenVmA, w.blueVmA, 'deny')])],
    ['check-netpol-baseline', () => probe([httpProbe(w.greenVmA, w.webserver, s.webserverPort, 'allow')])],
    ['apply-netpol', () => apply('netpol')],
    ['check-netpol-blocks', () => probe([httpProbe(w.greenVmA, w.webserver, s.webserverPort, 'deny')])],
    [
      'apply-new-webserver',
      async () => {
        await apply('new-webserver');
        await waitAndDiscover([w.newWebserver], []);
      },
    ],
    ['check-netpol-allows', () => probe([httpProbe(w.greenVmA, w.newWebserver, s.newWebserverPort, 'allow')])],
    ['report', () => call('writeReport', { result: { workflowId: runId, runId, status: 'passed', steps: [], checks: [], migration: null } })],
  ];
  const times: StepTime[] = [];
  for (const [id, body] of steps) {
    const started = performance.now();
    await body();
    times.push({ id, ms: performance.now() - started });
  }
  return times;
}
