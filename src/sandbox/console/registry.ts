import { parse } from 'yaml';
import { VMI, type Cluster, type Resource } from '../emulators/api.ts';
import type { World } from '../dataplane/reachability.ts';
import { Guest } from './guest.ts';

/** The guests of the sandbox's VMIs, one per VMI incarnation (a new uid boots a fresh guest). */
export class Guests {
  private readonly byKey = new Map<string, { uid: string; guest: Guest }>();

  constructor(
    private readonly cluster: Cluster,
    private readonly world: () => World,
    private readonly second: number,
  ) {}

  vmi(namespace: string, name: string): Resource | undefined {
    return this.cluster.resources(VMI).get(name, namespace);
  }

  /** The guest behind a running VMI, booted on first use. */
  guest(vmi: Resource): Guest {
    const key = `${vmi.metadata!.namespace}/${vmi.metadata!.name}`;
    const known = this.byKey.get(key);
    if (known && known.uid === vmi.metadata!.uid) return known.guest;
    const [namespace, name] = [vmi.metadata!.namespace!, vmi.metadata!.name!];
    const guest = new Guest(name, cloudInitCredentials(vmi), {
      self: () => this.world().endpoints.find((e) => e.kind === 'VirtualMachineInstance' && e.namespace === namespace && e.name === name),
      world: this.world,
      second: this.second,
      peer: (ns, vm) => this.running(ns, vm),
    });
    this.byKey.set(key, { uid: vmi.metadata!.uid!, guest });
    return guest;
  }

  /** The guest of a running VMI, to connect to its servers. */
  running(namespace: string, name: string): Guest | undefined {
    const target = this.vmi(namespace, name);
    return target?.status?.phase === 'Running' ? this.guest(target) : undefined;
  }

  /** The TCP ports the guest listens on at `address` (its address on its network). */
  listening(namespace: string, name: string, address: string): number[] {
    const guest = this.byKey.get(`${namespace}/${name}`)?.guest;
    if (!guest) return [];
    const http = [...guest.http].filter(([, s]) => s.bind === undefined || s.bind === address).map(([port]) => port);
    return [...guest.servers.keys(), ...http];
  }
}

/**
 * The login cloud-init gives the guest: `user` (Fedora's default is fedora) and `password` from
 * the cloudInitNoCloud user data, as in the talk's VMs. No password means no console login.
 */
export function cloudInitCredentials(vmi: Resource): { user: string; password: string } {
  const volumes = (vmi.spec?.volumes ?? []) as { cloudInitNoCloud?: { userData?: string } }[];
  const userData = volumes.find((v) => v.cloudInitNoCloud?.userData)?.cloudInitNoCloud?.userData;
  let doc: Record<string, unknown> = {};
  try {
    doc = (userData ? parse(userData) : {}) ?? {};
  } catch {
    doc = {};
  }
  return { user: typeof doc.user === 'string' ? doc.user : 'fedora', password: typeof doc.password === 'string' ? doc.password : '' };
}
