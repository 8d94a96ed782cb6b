import type { V1Pod } from '@kubernetes/client-node';
import { NETWORK_STATUS, VM, VMI, type Cluster, type Resource } from './api.ts';
import { Controller } from './controller.ts';
import { hasFault, type Faults } from './faults.ts';
import { remaining, type LatencyProfile } from './latency.ts';

export const VM_LABEL = 'vm.kubevirt.io/name';
export const CREATED_BY = 'kubevirt.io/created-by';
/** Marks a migration's target virt-launcher pod, with the migration's uid. */
export const MIGRATION_JOB = 'kubevirt.io/migrationJobUID';

/**
 * Stands in for virt-controller and virt-handler: a VirtualMachine with runStrategy Always gets a
 * VirtualMachineInstance; a VMI gets a virt-launcher pod, and goes Pending → Scheduling →
 * Scheduled → Running as the pod is bound, plumbed and the guest "boots", ending Ready,
 * AgentConnected and LiveMigratable with its UDN address in status.interfaces.
 */
export function kubevirtEmulator(cluster: Cluster, lat: LatencyProfile, faults: Faults, log: (l: string) => void): Controller[] {
  const vms = cluster.resources(VM);
  const vmis = cluster.resources(VMI);
  const pods = cluster.pods();

  const vmController = new Controller('kubevirt/vm', async (namespace, name) => {
    const vm = vms.get(name, namespace);
    if (!vm?.spec || vm.metadata?.deletionTimestamp) return;
    const shouldRun = vm.spec.runStrategy === 'Always' || vm.spec.runStrategy === 'RerunOnFailure' || vm.spec.running === true;
    const vmi = vmis.get(name, namespace);
    if (shouldRun && !vmi) {
      await cluster.create(VMI, namespace!, {
        apiVersion: 'kubevirt.io/v1',
        kind: 'VirtualMachineInstance',
        metadata: {
          name,
          namespace,
          labels: { ...(vm.spec.template?.metadata?.labels ?? {}), [VM_LABEL]: name },
          ...(vm.spec.template?.metadata?.annotations ? { annotations: vm.spec.template.metadata.annotations } : {}),
          ownerReferences: [{ apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachine', name, uid: vm.metadata!.uid!, controller: true, blockOwnerDeletion: true }],
        },
        spec: vm.spec.template?.spec ?? {},
      }).catch(ignoreConflict);
      return;
    }
    const running = vmi?.status?.phase === 'Running';
    const ready = running && conditionTrue(vmi, 'Ready');
    const printable = !vmi ? 'Stopped' : running ? 'Running' : vmi.status?.phase === 'Scheduling' || vmi.status?.phase === 'Scheduled' ? 'Starting' : 'Provisioning';
    if (vm.status?.printableStatus === printable && vm.status?.ready === ready) return;
    await cluster.patchStatus(VM, vm, {
      printableStatus: printable,
      created: Boolean(vmi),
      ready,
      runStrategy: vm.spec.runStrategy ?? (vm.spec.running ? 'Always' : 'Halted'),
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', ...(ready ? {} : { reason: 'VMINotReady' }), lastProbeTime: null, lastTransitionTime: new Date().toISOString() }],
    });
  }, log).watch(vms).watch(vmis);

  const vmiController = new Controller('kubevirt/vmi', async (namespace, name) => {
    const vmi = vmis.get(name, namespace);
    if (!vmi?.metadata || vmi.metadata.deletionTimestamp) return;
    const phase: string = vmi.status?.phase ?? '';
    const launcher = activeLauncher(namespace!, vmi);
    if (phase === '') {
      await setPhase(vmi, 'Pending', {});
      return;
    }
    if (phase === 'Pending') {
      if (!launcher) await createLauncher(cluster, vmi, undefined);
      await setPhase(vmi, 'Scheduling', {});
      return;
    }
    if (phase === 'Scheduling') {
      if (!launcher?.spec?.nodeName) return;
      const wait = remaining(since(vmi, 'Scheduling'), lat.vmSchedule);
      if (wait > 0) return wait;
      await setPhase(vmi, 'Scheduled', { nodeName: launcher.spec.nodeName, activePods: { [launcher.metadata!.uid!]: launcher.spec.nodeName } });
      return;
    }
    if (phase === 'Scheduled') {
      if (!launcher || launcher.status?.phase !== 'Running') return;
      if (hasFault(faults.vmiNeverReady, namespace, name)) {
        if (!vmi.status?.conditions?.some((c: { type: string }) => c.type === 'Ready')) {
          await cluster.patchStatus(VMI, vmi, { conditions: [condition('Ready', false, 'GuestNotRunning', 'emulated fault: the guest never comes up')] });
        }
        return;
      }
      const wait = remaining(since(vmi, 'Scheduled'), lat.vmBoot);
      if (wait > 0) return wait;
      await setPhase(vmi, 'Running', {
        interfaces: interfacesOf(vmi, launcher),
        migrationMethod: 'LiveMigration',
        conditions: [condition('Ready', true), condition('LiveMigratable', true)],
      });
      return;
    }
    if (phase === 'Running' && !conditionTrue(vmi, 'AgentConnected')) {
      const wait = remaining(since(vmi, 'Running'), lat.agentConnect);
      if (wait > 0) return wait;
      await cluster.patchStatus(VMI, vmi, { conditions: [...(vmi.status?.conditions ?? []), condition('AgentConnected', true)] });
    }
  }, log)
    .watch(vmis)
    .watch(pods, (p) => (p.metadata?.labels?.[VM_LABEL] ? `${p.metadata.namespace}/${p.metadata.labels[VM_LABEL]}` : undefined));

  async function setPhase(vmi: Resource, phase: string, extra: Record<string, unknown>): Promise<void> {
    const transitions = [...(vmi.status?.phaseTransitionTimestamps ?? []), { phase, phaseTransitionTimestamp: new Date().toISOString() }];
    await cluster.patchStatus(VMI, vmi, { phase, phaseTransitionTimestamps: transitions, ...extra });
  }

  function activeLauncher(namespace: string, vmi: Resource): V1Pod | undefined {
    const active = Object.keys(vmi.status?.activePods ?? {});
    const mine = pods.list(namespace).filter((p) => p.metadata?.labels?.[CREATED_BY] === vmi.metadata!.uid && !p.metadata?.deletionTimestamp);
    return mine.find((p) => active.includes(p.metadata!.uid!)) ?? mine.find((p) => !p.metadata?.labels?.[MIGRATION_JOB]);
  }

  return [vmController, vmiController];
}

/** A virt-launcher pod for `vmi`: the first one, or a migration target pinned to `nodeName`. */
export async function createLauncher(cluster: Cluster, vmi: Resource, nodeName: string | undefined, extraLabels: Record<string, string> = {}): Promise<V1Pod> {
  const name = vmi.metadata!.name!;
  return cluster.core.createNamespacedPod({
    namespace: vmi.metadata!.namespace!,
    body: {
      metadata: {
        generateName: `virt-launcher-${name}-`,
        labels: { ...(vmi.metadata?.labels ?? {}), 'kubevirt.io': 'virt-launcher', [VM_LABEL]: name, [CREATED_BY]: vmi.metadata!.uid!, ...extraLabels },
        annotations: { 'kubevirt.io/domain': name },
        ownerReferences: [{ apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachineInstance', name, uid: vmi.metadata!.uid!, controller: true, blockOwnerDeletion: true }],
      },
      spec: {
        ...(nodeName ? { nodeName } : {}),
        terminationGracePeriodSeconds: vmi.spec?.terminationGracePeriodSeconds ?? 30,
        containers: [{ name: 'compute', image: 'quay.io/kubevirt/virt-launcher:v1.4.0', resources: { requests: vmi.spec?.domain?.resources?.requests ?? {} } }],
      },
    },
  });
}

/** The guest's view of its interfaces: the UDN address when the pod has one (l2bridge binding). */
export function interfacesOf(vmi: Resource, launcher: V1Pod): Record<string, unknown>[] {
  const status = JSON.parse(launcher.metadata?.annotations?.[NETWORK_STATUS] ?? '[]') as { interface: string; ips: string[]; mac: string; default?: boolean }[];
  const primary = status.find((e) => e.default) ?? status[0];
  const name = vmi.spec?.domain?.devices?.interfaces?.[0]?.name ?? 'default';
  if (!primary) return [];
  return [{ name, interfaceName: 'eth0', ipAddress: primary.ips[0], ipAddresses: primary.ips, mac: primary.mac, infoSource: 'domain, guest-agent', queueCount: 1, linkState: 'up' }];
}

export function conditionTrue(obj: Resource | undefined, type: string): boolean {
  return Boolean(obj?.status?.conditions?.some((c: { type: string; status: string }) => c.type === type && c.status === 'True'));
}

export function condition(type: string, ok: boolean, reason?: string, message?: string): Record<string, unknown> {
  return { type, status: ok ? 'True' : 'False', ...(reason ? { reason } : {}), ...(message ? { message } : {}), lastProbeTime: null, lastTransitionTime: new Date().toISOString() };
}

export function since(vmi: Resource, phase: string): string | undefined {
  return (vmi.status?.phaseTransitionTimestamps as { phase: string; phaseTransitionTimestamp: string }[] | undefined)?.findLast((t) => t.phase === phase)?.phaseTransitionTimestamp;
}

function ignoreConflict(err: { code?: number }): void {
  if (err.code !== 409) throw err;
}

