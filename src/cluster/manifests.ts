import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { KubernetesObject } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import type { ManifestBundle } from '../model/activities.ts';
import type { ScenarioConfig } from '../config/schema.ts';

const dir = fileURLToPath(new URL('../../manifests/', import.meta.url));

/** The talk's files (below manifests/), grouped as the demo applies them. */
export const BUNDLE_FILES: Record<ManifestBundle, string[]> = {
  'green-network': ['ns-isolation/01-namespace-isolation-l2-persistent.yaml'],
  'green-workloads': ['ns-isolation/02-namespace-isolation-workloads.yaml'],
  blue: ['ns-isolation/03-namespace-isolation-another-ns-l2-persistent.yaml', 'ns-isolation/04-namespace-isolation-another-ns-workloads.yaml'],
  netpol: ['ns-isolation/05-network-policy-single-port.yaml'],
  'new-webserver': ['ns-isolation/06-new-webserver-pod.yaml'],
  tenant: ['ns-isolation/01-namespace-isolation-l2-persistent.yaml', 'ns-isolation/02-namespace-isolation-workloads.yaml'],
  'cluster-networks': ['cluster-wide-network/01-udn.yaml'],
  'cluster-workloads': ['cluster-wide-network/02-workloads.yaml'],
  'cluster-service': ['cluster-wide-network/03-service.yaml'],
};

type Obj = KubernetesObject & { spec?: any };

/**
 * The bundle's objects with the config's overrides applied to the parsed objects (never to the
 * YAML text): namespaces, subnets, ports, images and the web servers' node.
 */
export async function renderBundle(bundle: ManifestBundle, s: ScenarioConfig): Promise<Obj[]> {
  const objects: Obj[] = [];
  for (const file of BUNDLE_FILES[bundle]) {
    for (const doc of parseAllDocuments(await readFile(`${dir}${file}`, 'utf8'))) {
      if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0]!.message}`);
      const obj = doc.toJSON() as Obj | null;
      if (obj && !(obj.kind === 'NetworkPolicy' && !s.networkPolicy)) objects.push(override(obj, s));
    }
  }
  return objects;
}

export function override(obj: Obj, s: ScenarioConfig): Obj {
  const rename = (ns: string | undefined) => (ns === 'green' ? s.green.namespace : ns === 'blue' ? s.blue.namespace : ns);
  const meta = obj.metadata!;
  if (obj.kind === 'Namespace') meta.name = rename(meta.name);
  else if (meta.namespace) meta.namespace = rename(meta.namespace);
  const subnetOf = meta.namespace === s.blue.namespace ? s.blue.subnet : s.green.subnet;
  if (obj.kind === 'UserDefinedNetwork' && obj.spec?.layer2) obj.spec.layer2.subnets = [subnetOf];
  if (obj.kind === 'Pod') {
    const port = meta.name === 'new-webserver' ? s.newWebserverPort : s.webserverPort;
    obj.spec.nodeName = s.webserverNode;
    for (const c of obj.spec.containers ?? []) {
      c.image = s.images.agnhost;
      c.args = ['netexec', '--http-port', String(port)];
      c.ports = [{ containerPort: port }];
    }
  }
  if (obj.kind === 'VirtualMachine') {
    for (const v of obj.spec?.template?.spec?.volumes ?? []) if (v.containerDisk) v.containerDisk.image = s.images.containerDisk;
  }
  if (obj.kind === 'NetworkPolicy') {
    for (const rule of obj.spec?.ingress ?? []) for (const p of rule.ports ?? []) p.port = s.newWebserverPort;
  }
  return obj;
}
