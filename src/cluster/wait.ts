import { CoreV1Api, CustomObjectsApi, makeInformer, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import type { ReadinessTarget } from '../activities/types.ts';
import { readiness } from './readiness.ts';

export class WaitTimeout extends Error {
  constructor(readonly notReady: string[], seconds: number) {
    super(`not ready after ${seconds} s: ${notReady.join('; ')}`);
    this.name = 'WaitTimeout';
  }
}

interface Source {
  path: string;
  list: () => Promise<any>;
}

function sourceFor(kc: KubeConfig, t: ReadinessTarget): Source {
  const core = kc.makeApiClient(CoreV1Api);
  const custom = kc.makeApiClient(CustomObjectsApi);
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
 * Waits until every target is ready: list, then watch from that resourceVersion (client-node's
 * informer, which re-lists on 410 Gone); a watch the server ends is reopened. No polling:
 * readiness is re-evaluated on each event. `progress` hears what is still not ready, and why.
 */
export async function waitUntilReady(kc: KubeConfig, targets: ReadinessTarget[], timeoutMs: number, progress: (notReady: string[]) => void): Promise<{ target: ReadinessTarget; readyAt: string }[]> {
  const readyAt = new Map<ReadinessTarget, string>();
  const groups = new Map<string, { source: Source; targets: ReadinessTarget[] }>();
  for (const t of targets) {
    const source = sourceFor(kc, t);
    const g = groups.get(source.path) ?? { source, targets: [] };
    g.targets.push(t);
    groups.set(source.path, g);
  }
  const informers = [...groups.values()].map((g) => ({ g, informer: makeInformer<KubernetesObject>(kc, g.source.path, g.source.list) }));
  let stopped = false;
  let lastReport = '';
  return new Promise((resolve, reject) => {
    const notReady = () => targets.filter((t) => !readyAt.has(t)).map((t) => why(t));
    const why = (t: ReadinessTarget) => readiness(t, find(t)).why;
    const find = (t: ReadinessTarget) => informers.find((i) => i.g.targets.includes(t))!.informer.get(t.name, t.namespace) as { status?: unknown } | undefined;
    const finish = (err?: Error) => {
      if (stopped) return;
      stopped = true;
      clearTimeout(timer);
      for (const { informer } of informers) void informer.stop();
      if (err) reject(err);
      else resolve(targets.map((target) => ({ target, readyAt: readyAt.get(target)! })));
    };
    const evaluate = () => {
      for (const t of targets) if (!readyAt.has(t) && readiness(t, find(t)).ready) readyAt.set(t, new Date().toISOString());
      const pending = notReady();
      if (pending.length === 0) return finish();
      const report = pending.join('; ');
      if (report !== lastReport) {
        lastReport = report;
        progress(pending);
      }
    };
    const timer = setTimeout(() => finish(new WaitTimeout(notReady(), Math.round(timeoutMs / 1000))), timeoutMs);
    for (const { informer } of informers) {
      informer.on('add', evaluate);
      informer.on('update', evaluate);
      informer.on('delete', evaluate);
      // The server ended the watch (timeout, restart) or it failed: reopen it from a fresh list.
      informer.on('error', () => {
        if (!stopped) setTimeout(() => void informer.start().then(() => (stopped ? void informer.stop() : undefined), () => undefined), 500);
      });
      // A start that completes after the wait ended must not leave its watch open.
      const started = () => (stopped ? void informer.stop() : evaluate());
      informer.start().then(started, () => informer.start().then(started, () => undefined));
    }
  });
}
