import { CoreV1Api, CustomObjectsApi, type KubeConfig, type V1Pod } from '@kubernetes/client-node';
import type { WorkloadAddress, WorkloadRef } from '../model/workload.ts';

export const NETWORK_STATUS = 'k8s.v1.cni.cncf.io/network-status';

/**
 * A pod's address on its namespace's primary UDN: the network-status entry marked
 * `"default": true` (the `ovn-udn1` interface). Not status.podIP, which is the cluster
 * default network's address.
 */
export function podUdnAddress(pod: Pick<V1Pod, 'metadata'>): string | undefined {
  const raw = pod.metadata?.annotations?.[NETWORK_STATUS];
  if (!raw) return undefined;
  const entries = JSON.parse(raw) as { interface?: string; ips?: string[]; default?: boolean }[];
  return entries.find((e) => e.default)?.ips?.find(isIpv4);
}

/** A VMI's UDN address from status.interfaces, skipping link-local addresses. */
export function vmiUdnAddress(vmi: { status?: { interfaces?: { ipAddress?: string; ipAddresses?: string[] }[] } }): string | undefined {
  for (const iface of vmi.status?.interfaces ?? []) {
    const candidates = [iface.ipAddress, ...(iface.ipAddresses ?? [])].filter((a): a is string => Boolean(a));
    const found = candidates.find((a) => isIpv4(a) && !a.startsWith('169.254.'));
    if (found) return found;
  }
  return undefined;
}

function isIpv4(a: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(a);
}

export class AddressMissing extends Error {
  override readonly name = 'AddressMissing';
}

/** Where each workload runs and its UDN address. */
export async function discover(kc: KubeConfig, workloads: WorkloadRef[]): Promise<WorkloadAddress[]> {
  const core = kc.makeApiClient(CoreV1Api);
  const custom = kc.makeApiClient(CustomObjectsApi);
  const out: WorkloadAddress[] = [];
  for (const w of workloads) {
    if (w.kind === 'Pod') {
      const pod = await core.readNamespacedPod({ name: w.name, namespace: w.namespace });
      const udnIP = podUdnAddress(pod);
      if (!udnIP) throw new AddressMissing(`${w.namespace}/${w.name}: no primary-UDN entry ("default": true) in its ${NETWORK_STATUS} annotation`);
      out.push({ ...w, node: pod.spec?.nodeName ?? '', udnIP });
    } else {
      const vmi = await custom.getNamespacedCustomObject({ group: 'kubevirt.io', version: 'v1', namespace: w.namespace, plural: 'virtualmachineinstances', name: w.name });
      const udnIP = vmiUdnAddress(vmi);
      if (!udnIP) throw new AddressMissing(`${w.namespace}/${w.name}: no IPv4 address in the VMI's status.interfaces yet`);
      out.push({ ...w, node: vmi.status?.nodeName ?? '', udnIP });
    }
  }
  return out;
}
