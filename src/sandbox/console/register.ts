import { setTimeout as sleep } from 'node:timers/promises';
import { ApiregistrationV1Api, CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { CONSOLE_GROUP } from './server.ts';

const NAMESPACE = 'kubevirt';
const SERVICE = 'virt-api';

/**
 * Registers the console server as KubeVirt's subresource API: an ExternalName service for it and
 * an APIService, so the API server proxies `…/virtualmachineinstances/NAME/console` to it, then
 * waits until the aggregator reports it Available. The aggregator checks the backend's
 * certificate against `<service>.<namespace>.svc`, which a loopback server cannot present, so
 * the hop from API server to emulated virt-api skips verification (the client's hop does not).
 */
export async function registerConsoleApi(kc: KubeConfig, port: number): Promise<void> {
  const core = kc.makeApiClient(CoreV1Api);
  const registration = kc.makeApiClient(ApiregistrationV1Api);
  await core.createNamespace({ body: { metadata: { name: NAMESPACE } } }).catch(ignoreExists);
  await core
    .createNamespacedService({ namespace: NAMESPACE, body: { metadata: { name: SERVICE }, spec: { type: 'ExternalName', externalName: 'localhost' } } })
    .catch(ignoreExists);
  const name = `v1.${CONSOLE_GROUP}`;
  await registration.deleteAPIService({ name }).catch(() => undefined);
  await registration.createAPIService({
    body: {
      metadata: { name },
      spec: { group: CONSOLE_GROUP, version: 'v1', service: { namespace: NAMESPACE, name: SERVICE, port }, insecureSkipTLSVerify: true, groupPriorityMinimum: 1000, versionPriority: 15 },
    },
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    const svc = await registration.readAPIService({ name });
    const available = svc.status?.conditions?.find((c) => c.type === 'Available');
    if (available?.status === 'True') return;
    if (Date.now() > deadline) throw new Error(`APIService ${name} not Available: ${available?.reason ?? 'no condition'} ${available?.message ?? ''}`);
    await sleep(200);
  }
}

function ignoreExists(err: { code?: number }): void {
  if (err.code !== 409) throw err;
}
