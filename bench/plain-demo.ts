/**
 * The baseline the orchestration benchmarks compare DemoWorkflow with: the same activity functions,
 * the same requests, called one after another by a plain script, with no Temporal anywhere (each
 * body runs in a MockActivityEnvironment, so its heartbeats go nowhere). What DemoWorkflow takes
 * beyond this is what orchestration costs.
 */
import type { Logger } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../src/activities/index.ts';
import type { DemoActivities, ReadinessTarget } from '../src/model/activities.ts';
import type { StepId } from '../src/scenarios/index.ts';
import type { ClusterRef } from '../src/model/cluster.ts';
import { workloadKey, type Inventory, type WorkloadRef } from '../src/model/workload.ts';
import type { DemoInput } from '../src/workflows/demo-input.ts';
import { expectedProbes, workloadRef } from '../src/scenarios/expected-probes.ts';
import { namespaceIsolation } from '../src/scenarios/namespace-isolation-config.ts';
import type { StepDef } from '../src/scenarios/types.ts';

export interface StepTime {
  id: StepId;
  ms: number;
}

/** The activities' progress lines: the worker's log has them; the benchmark's terminal does not want them. */
const quiet: Logger = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

type Call = <K extends keyof DemoActivities>(name: K, ...args: Parameters<DemoActivities[K]>) => ReturnType<DemoActivities[K]>;

/** Runs the demo's steps in the talk's order without Temporal; returns each step's wall time. */
export async function runPlainDemo(input: DemoInput, runId: string): Promise<StepTime[]> {
  const activities = createActivities();
  const call: Call = (name, ...args) => new MockActivityEnvironment({}, { logger: quiet }).run(activities[name] as (...a: unknown[]) => Promise<unknown>, ...args) as never;
  const table = namespaceIsolation(input.scenario);
  const ref = (k: string) => workloadRef(table, k);
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
  const waitAndDiscover = async (keys: readonly string[], networks: readonly string[]) => {
    const ready = keys.map(ref);
    const udns = networks.map((name) => ({ kind: 'UserDefinedNetwork' as const, namespace: table.networks.find((n) => n.name === name)!.namespaces[0]!, name }));
    const targets: ReadinessTarget[] = [...udns, ...ready.map((w) => ({ kind: w.kind, namespace: w.namespace, name: w.name }))];
    await call('waitReady', { cluster, targets, timeoutSeconds: 900 });
    remember(await call('discoverAddresses', { cluster, workloads: ready }));
  };
  const addressOf = (x: WorkloadRef) => inventory.find((e) => workloadKey(e) === workloadKey(x))!.udnIP;
  const kinds = { ...(input.sandbox ? { sandbox: input.sandbox } : {}), ...(input.kind ? { kind: input.kind } : {}) };

  const body = async (step: StepDef): Promise<unknown> => {
    const a = step.run;
    switch (a.kind) {
      case 'check-tools':
        return call('preflight', { provider: input.provider, clusterName: input.clusterName, ...(input.kind ? { kind: input.kind } : {}) });
      case 'provide-cluster':
        return (cluster = await call('ensureCluster', { provider: input.provider, clusterName: input.clusterName, ...kinds }));
      case 'apply':
        await call('applyManifests', { cluster, bundle: a.bundle, scenario: s });
        return a.waitFor ? waitAndDiscover(a.waitFor, []) : undefined;
      case 'wait':
        return waitAndDiscover(a.workloads, a.networks);
      case 'discover':
        return remember(await call('discoverAddresses', { cluster, workloads: a.workloads.map(ref) }));
      case 'probe':
        return call('runProbes', { cluster, inventory, probes: (step.checks ?? []).flatMap((c) => expectedProbes(table, step, c)), guest: s.guest, timing: s.probes });
      case 'inspect-network':
        return call('inspectGuestNetwork', { cluster, vm: ref(a.vm), guest: s.guest, timing: s.probes });
      case 'migrate-under-traffic': {
        const experimentId = `${runId}-live-migration`;
        const m = s.migration;
        const server = ref(a.server);
        const handle = await call('startTraffic', { cluster, experimentId, server, client: ref(a.client), serverAddress: addressOf(server), port: m.port, intervalMs: m.intervalMs, guest: s.guest });
        const migration = await call('migrateVmi', { cluster, vmi: server, migrationName: `${experimentId}-migration`.slice(0, 63), timeoutSeconds: 600 });
        return call('collectTraffic', { cluster, handle, migration, tailSeconds: m.tailSeconds, guest: s.guest });
      }
      case 'write-report':
        return call('writeReport', { result: { workflowId: runId, runId, status: 'passed', steps: [], checks: [], migration: null } });
    }
  };
  const times: StepTime[] = [];
  for (const step of table.steps as readonly StepDef[]) {
    const started = performance.now();
    await body(step);
    times.push({ id: step.id as StepId, ms: performance.now() - started });
  }
  return times;
}
