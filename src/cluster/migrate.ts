import { CustomObjectsApi, type KubeConfig, type KubernetesObject, type ObjectCache } from '@kubernetes/client-node';
import type { MigrationRecord } from '../model/activities.ts';
import type { WorkloadRef } from '../model/workload.ts';
import { vmiUdnAddress } from './addresses.ts';
import { apiStatusCode } from './api-errors.ts';
import { watchUntil, type WatchSource } from './watch.ts';

const KUBEVIRT = { group: 'kubevirt.io', version: 'v1' };

export class MigrationFailed extends Error {
  override readonly name = 'MigrationFailed';
}

interface Vmi extends KubernetesObject {
  status?: { nodeName?: string; interfaces?: { ipAddress?: string; ipAddresses?: string[] }[]; migrationState?: Record<string, any> };
}

/**
 * Live-migrates a VMI through a VirtualMachineInstanceMigration named by the caller (from the
 * workflow and step), so a retried attempt finds its own migration instead of starting a second.
 * Waits, on a watch, until vmi.status.migrationState reports that migration completed, not
 * failed, on another node. An abort ends the wait (the migration itself goes on, as a retry
 * expects) and rejects with the signal's reason.
 */
export async function migrate(kc: KubeConfig, vmi: WorkloadRef, name: string, timeoutMs: number, progress: (line: string) => void, signal?: AbortSignal): Promise<MigrationRecord> {
  const custom = kc.makeApiClient(CustomObjectsApi);
  const { namespace } = vmi;
  const readVmi = () => custom.getNamespacedCustomObject({ ...KUBEVIRT, namespace, plural: 'virtualmachineinstances', name: vmi.name }) as Promise<Vmi>;
  const before = await readVmi();
  let migration = (await custom
    .getNamespacedCustomObject({ ...KUBEVIRT, namespace, plural: 'virtualmachineinstancemigrations', name })
    .catch((err: unknown) => {
      if (apiStatusCode(err) === 404) return undefined;
      throw err;
    })) as KubernetesObject | undefined;
  if (migration) progress(`found migration ${namespace}/${name} from an earlier attempt; following it`);
  else {
    // A transient webhook error fails this attempt; the retry finds nothing created and tries again.
    migration = (await custom.createNamespacedCustomObject({
      ...KUBEVIRT,
      namespace,
      plural: 'virtualmachineinstancemigrations',
      body: { apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachineInstanceMigration', metadata: { name, namespace, labels: { 'app.kubernetes.io/managed-by': 'udn-demo' } }, spec: { vmiName: vmi.name } },
    })) as KubernetesObject;
    progress(`created migration ${namespace}/${name} of ${vmi.name} (on ${before.status?.nodeName})`);
  }
  const uid = migration.metadata!.uid!;
  const mine = (v: Vmi | undefined) => (v?.status?.migrationState?.migrationUid === uid ? v.status.migrationState : undefined);
  const sourceNode: string = mine(before)?.sourceNode ?? before.status?.nodeName ?? '';
  const addressBefore = vmiUdnAddress(before) ?? '';
  const vmis: WatchSource = {
    path: `/apis/kubevirt.io/v1/namespaces/${namespace}/virtualmachineinstances`,
    list: () => custom.listNamespacedCustomObject({ ...KUBEVIRT, namespace, plural: 'virtualmachineinstances' }),
  };
  const current = (caches: ObjectCache<KubernetesObject>[]) => caches[0]?.get(vmi.name, namespace) as Vmi | undefined;
  let last: Vmi | undefined;
  const done = await watchUntil(
    kc,
    [vmis],
    (caches) => {
      last = current(caches);
      const state = mine(last);
      if (!state?.completed) return undefined;
      if (state.failed) throw new MigrationFailed(`migration ${namespace}/${name} failed: ${state.failureReason ?? 'no reason given'}`);
      if (state.targetNode === sourceNode) throw new MigrationFailed(`migration ${namespace}/${name} completed but ${vmi.name} is still on ${sourceNode}`);
      return last;
    },
    timeoutMs,
    () => new Error(`migration ${namespace}/${name} not completed after ${Math.round(timeoutMs / 1000)} s: ${JSON.stringify(mine(last) ?? 'not started')}`),
    signal,
  );
  const state = done.status!.migrationState!;
  return {
    migrationName: name,
    sourceNode,
    targetNode: state.targetNode,
    startedAt: new Date(state.startTimestamp).toISOString(),
    endedAt: new Date(state.endTimestamp).toISOString(),
    addressBefore,
    addressAfter: vmiUdnAddress(done) ?? '',
  };
}
