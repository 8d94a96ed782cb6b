import { MERGE, VMI, VMIM, type Cluster, type Resource } from './api.ts';
import { Controller, keyFor } from './controller.ts';
import { hasFault, type Faults } from './faults.ts';
import { conditionTrue, createLauncher, interfacesOf, MIGRATION_JOB, since } from './kubevirt.ts';
import { remaining, type LatencyProfile } from './latency.ts';

/**
 * Stands in for KubeVirt's live migration: a VirtualMachineInstanceMigration goes Pending →
 * Scheduling (a target virt-launcher pod on another worker) → Scheduled → PreparingTarget →
 * TargetReady → Running → Succeeded, recording vmi.status.migrationState as KubeVirt does; on
 * success the VMI runs on the target node with the target pod's address (the same one, as IPAM
 * keeps a VM's) and the source pod Succeeds.
 */
export function migrationEmulator(cluster: Cluster, lat: LatencyProfile, faults: Faults, log: (l: string) => void): Controller {
  const migrations = cluster.resources(VMIM);
  const vmis = cluster.resources(VMI);
  const pods = cluster.pods();
  const nodes = cluster.nodes();

  /** Whether an earlier migration of this VMI has failed. */
  const failedBefore = (namespace: string, vmiName: string) => migrations.list(namespace).some((x) => x.spec?.vmiName === vmiName && x.status?.phase === 'Failed');

  const controller = new Controller('kubevirt/migration', async (namespace, name) => {
    const m = migrations.get(name, namespace);
    if (!m?.spec || m.metadata?.deletionTimestamp) return;
    const phase: string = m.status?.phase ?? '';
    if (phase === 'Succeeded' || phase === 'Failed') return;
    const vmi = vmis.get(m.spec.vmiName, namespace);
    const target = pods.list(namespace).find((p) => p.metadata?.labels?.[MIGRATION_JOB] === m.metadata!.uid);
    switch (phase) {
      case '': {
        if (!vmi || vmi.status?.phase !== 'Running') return fail(m, vmi, `VMI ${m.spec.vmiName} is not running`);
        if (!conditionTrue(vmi, 'LiveMigratable')) return fail(m, vmi, `VMI ${m.spec.vmiName} is not live-migratable`);
        return setPhase(m, 'Pending');
      }
      case 'Pending': {
        const sourceNode: string = vmi!.status!.nodeName;
        const targetNode = nodes.list().map((n) => n.metadata!.name!).filter((n) => n !== 'ovn-control-plane' && n !== sourceNode).sort()[0];
        if (!targetNode) return fail(m, vmi, 'no other schedulable node to migrate to');
        const pod = target ?? (await createLauncher(cluster, vmi!, targetNode, { [MIGRATION_JOB]: m.metadata!.uid! }));
        const sourcePod = pods.list(namespace).find((p) => Object.keys(vmi!.status?.activePods ?? {}).includes(p.metadata!.uid!));
        const state = { sourceNode, targetNode, sourcePod: sourcePod?.metadata?.name, targetPod: pod.metadata!.name, migrationUid: m.metadata!.uid, mode: 'PreCopy', completed: false, failed: false };
        // A merge patch keeps keys it does not name: clear what an earlier migration recorded.
        await cluster.patchStatus(VMI, vmi!, { migrationState: { ...state, startTimestamp: null, endTimestamp: null, failureReason: null } });
        return setPhase(m, 'Scheduling', { migrationState: state });
      }
      case 'Scheduling': {
        if (target?.status?.phase !== 'Running') return;
        const wait = remaining(since(m, 'Scheduling'), lat.migrationTargetStart);
        return wait > 0 ? wait : setPhase(m, 'Scheduled');
      }
      case 'Scheduled':
        return setPhase(m, 'PreparingTarget');
      case 'PreparingTarget':
        return setPhase(m, 'TargetReady');
      case 'TargetReady': {
        const state = { ...vmi!.status!.migrationState, startTimestamp: new Date().toISOString() };
        await cluster.patchStatus(VMI, vmi!, { migrationState: state });
        return setPhase(m, 'Running', { migrationState: state });
      }
      case 'Running': {
        const wait = remaining(since(m, 'Running'), lat.migrationTransfer);
        if (wait > 0) return wait;
        const ended = { ...vmi!.status!.migrationState, endTimestamp: new Date().toISOString(), completed: true };
        if (hasFault(faults.migrationFails, namespace, vmi!.metadata!.name) || (hasFault(faults.migrationFailsOnce, namespace, vmi!.metadata!.name) && !failedBefore(namespace!, m.spec.vmiName))) {
          if (target) await cluster.core.deleteNamespacedPod({ name: target.metadata!.name!, namespace: namespace!, gracePeriodSeconds: 0 });
          return fail(m, vmi, 'emulated fault: the migration failed', ended);
        }
        const source = pods.list(namespace).find((p) => p.metadata?.name === ended.sourcePod);
        await cluster.patchStatus(VMI, vmi!, {
          nodeName: ended.targetNode,
          activePods: { [target!.metadata!.uid!]: ended.targetNode },
          interfaces: interfacesOf(vmi!, target!),
          migrationState: { ...ended, failed: false },
        });
        if (source) {
          await cluster.core.patchNamespacedPodStatus(
            {
              name: source.metadata!.name!,
              namespace: namespace!,
              body: {
                status: {
                  phase: 'Succeeded',
                  conditions: [{ type: 'Ready', status: 'False', reason: 'PodCompleted', lastTransitionTime: ended.endTimestamp }],
                  containerStatuses: (source.status?.containerStatuses ?? []).map((cs) => ({ ...cs, ready: false, started: false, state: { terminated: { exitCode: 0, reason: 'Completed', finishedAt: ended.endTimestamp } } })),
                },
              },
            },
            MERGE,
          );
        }
        return setPhase(m, 'Succeeded', { migrationState: { ...ended, failed: false } });
      }
    }
  }, log)
    .watch(migrations)
    .watch(pods, (p) => {
      const uid = p.metadata?.labels?.[MIGRATION_JOB];
      const m = uid ? migrations.list(p.metadata?.namespace).find((x) => x.metadata?.uid === uid) : undefined;
      return m ? keyFor(m) : undefined;
    });
  // A migration created before its VMI runs is re-checked when the VMI changes.
  vmis.on('update', (vmi) => {
    for (const m of migrations.list(vmi.metadata?.namespace)) if (m.spec?.vmiName === vmi.metadata?.name && !m.status?.phase) controller.enqueue(keyFor(m));
  });

  // The next step runs when the watch delivers this write, so it always sees fresh state.
  async function setPhase(m: Resource, phase: string, extra: Record<string, unknown> = {}): Promise<void> {
    const transitions = [...(m.status?.phaseTransitionTimestamps ?? []), { phase, phaseTransitionTimestamp: new Date().toISOString() }];
    await cluster.patchStatus(VMIM, m, { phase, phaseTransitionTimestamps: transitions, ...extra });
  }

  async function fail(m: Resource, vmi: Resource | undefined, reason: string, state?: Record<string, unknown>): Promise<void> {
    const migrationState = { ...(state ?? vmi?.status?.migrationState ?? {}), completed: true, failed: true, failureReason: reason };
    if (vmi && state) await cluster.patchStatus(VMI, vmi, { migrationState });
    await setPhase(m, 'Failed', { migrationState, conditions: [{ type: 'Failed', status: 'True', reason: 'MigrationFailed', message: reason }] });
    log(`kubevirt/migration: ${keyFor(m)} failed: ${reason}`);
  }

  return controller;
}

