import { readFile } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CoreV1Api, CustomObjectsApi, KubeConfig, NetworkingV1Api } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { sandboxUp, type EmulationOptions, type SandboxStatus } from '../../src/sandbox/index.ts';

export async function freshSandbox(emulation: EmulationOptions = { profile: 'instant', scale: 1 }): Promise<SandboxStatus> {
  const dir = await mkdtemp(join(tmpdir(), 'udn-sandbox-'));
  return sandboxUp({ dir, emulation, log: () => undefined });
}

export interface Clients {
  kc: KubeConfig;
  core: CoreV1Api;
  custom: CustomObjectsApi;
  net: NetworkingV1Api;
}

export function clientsFor(kubeconfigPath: string): Clients {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  return { kc, core: kc.makeApiClient(CoreV1Api), custom: kc.makeApiClient(CustomObjectsApi), net: kc.makeApiClient(NetworkingV1Api) };
}

const PLURALS: Record<string, string> = { UserDefinedNetwork: 'userdefinednetworks', VirtualMachine: 'virtualmachines', VirtualMachineInstanceMigration: 'virtualmachineinstancemigrations' };

/**
 * Creates the objects of a manifest file with strict field validation, as `kubectl apply` does.
 * (A test stand-in: the project's real apply is an activity of its own.)
 */
export async function createFromFile(c: Clients, file: string): Promise<void> {
  for (const doc of parseAllDocuments(await readFile(file, 'utf8'))) await createObject(c, doc.toJSON());
}

export async function createObject(c: Clients, o: { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } }): Promise<void> {
  const fieldValidation = 'Strict';
  const namespace = o.metadata.namespace ?? 'default';
  if (o.kind === 'Namespace') await c.core.createNamespace({ body: o, fieldValidation });
  else if (o.kind === 'Pod') await c.core.createNamespacedPod({ namespace, body: o, fieldValidation });
  else if (o.kind === 'NetworkPolicy') await c.net.createNamespacedNetworkPolicy({ namespace, body: o, fieldValidation });
  else {
    const [group, version] = o.apiVersion.split('/');
    await c.custom.createNamespacedCustomObject({ group: group!, version: version!, namespace, plural: PLURALS[o.kind]!, body: o, fieldValidation });
  }
}

/** Polls until `read` returns a value `ok` accepts; fails with the last value seen. */
export async function eventually<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await read().catch(() => undefined as T);
    if (last !== undefined && ok(last)) return last;
    await sleep(100);
  }
  throw new Error(`${what}: not reached within ${timeoutMs} ms; last seen ${JSON.stringify(last)?.slice(0, 800)}`);
}

export function vmi(c: Clients, namespace: string, name: string): Promise<any> {
  return c.custom.getNamespacedCustomObject({ group: 'kubevirt.io', version: 'v1', namespace, plural: 'virtualmachineinstances', name });
}

export function udn(c: Clients, namespace: string, name: string): Promise<any> {
  return c.custom.getNamespacedCustomObject({ group: 'k8s.ovn.org', version: 'v1', namespace, plural: 'userdefinednetworks', name });
}

export function conditionStatus(obj: any, type: string): string | undefined {
  return obj?.status?.conditions?.find((x: { type: string }) => x.type === type)?.status;
}
