import { CoreV1Api, CustomObjectsApi, type KubeConfig, type KubernetesObject, type ObjectCache } from '@kubernetes/client-node';
import type { ReadinessTarget } from '../model/activities.ts';
import { readiness } from './readiness.ts';
import { watchUntil, type WatchSource } from './watch.ts';

export class WaitTimeout extends Error {
  constructor(readonly notReady: string[], seconds: number) {
    super(`not ready after ${seconds} s: ${notReady.join('; ')}`);
    this.name = 'WaitTimeout';
  }
}

function sourceFor(kc: KubeConfig, t: ReadinessTarget): WatchSource {
  const core = kc.makeApiClient(CoreV1Api);
  const custom = kc.makeApiClient(CustomObjectsApi);
  if (t.kind === 'ClusterUserDefinedNetwork') {
    return { path: '/apis/k8s.ovn.org/v1/clusteruserdefinednetworks', list: () => custom.listClusterCustomObject({ group: 'k8s.ovn.org', version: 'v1', plural: 'clusteruserdefinednetworks' }) };
  }
  const ns = t.namespace;
  switch (t.kind) {
    case 'Pod':
      return { path: `/api/v1/namespaces/${ns}/pods`, list: () => core.listNamespacedPod({ namespace: ns }) };
    case 'UserDefinedNetwork':
      return { path: `/apis/k8s.ovn.org/v1/namespaces/${ns}/userdefinednetworks`, list: () => custom.listNamespacedCustomObject({ group: 'k8s.ovn.org', version: 'v1', namespace: ns, plural: 'userdefinednetworks' }) };
    case 'VirtualMachineInstance':
      return { path: `/apis/kubevirt.io/v1/namespaces/${ns}/virtualmachineinstances`, list: () => custom.listNamespacedCustomObject({ group: 'kubevirt.io', version: 'v1', namespace: ns, plural: 'virtualmachineinstances' }) };
  }
}

/**
 * Waits until every target is ready, re-evaluating on each watch event. `progress` hears what
 * is still not ready, and why, whenever that changes. An abort closes the watches and rejects
 * with the signal's reason.
 */
export async function waitUntilReady(kc: KubeConfig, targets: ReadinessTarget[], timeoutMs: number, progress: (notReady: string[]) => void, signal?: AbortSignal): Promise<{ target: ReadinessTarget; readyAt: string }[]> {
  const sources: WatchSource[] = [];
  const sourceOf = new Map<ReadinessTarget, number>();
  for (const t of targets) {
    const source = sourceFor(kc, t);
    let i = sources.findIndex((s) => s.path === source.path);
    if (i < 0) i = sources.push(source) - 1;
    sourceOf.set(t, i);
  }
  const readyAt = new Map<ReadinessTarget, string>();
  let lastReport = '';
  let caches: ObjectCache<KubernetesObject>[] = [];
  const verdict = (t: ReadinessTarget) => readiness(t, caches[sourceOf.get(t)!]?.get(t.name, 'namespace' in t ? t.namespace : undefined) as { status?: unknown } | undefined);
  const notReady = () => targets.filter((t) => !readyAt.has(t)).map((t) => verdict(t).why);
  return watchUntil(
    kc,
    sources,
    (current) => {
      caches = current;
      for (const t of targets) if (!readyAt.has(t) && verdict(t).ready) readyAt.set(t, new Date().toISOString());
      const pending = notReady();
      if (pending.length === 0) return targets.map((target) => ({ target, readyAt: readyAt.get(target)! }));
      if (pending.join('; ') !== lastReport) {
        lastReport = pending.join('; ');
        progress(pending);
      }
      return undefined;
    },
    timeoutMs,
    () => new WaitTimeout(notReady(), Math.round(timeoutMs / 1000)),
    signal,
  );
}
