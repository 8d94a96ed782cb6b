import { readFile } from 'node:fs/promises';
import type { Cluster } from '../emulators/api.ts';
import type { Faults } from '../emulators/faults.ts';
import type { LatencyProfile } from '../emulators/latency.ts';
import { worldFrom } from './world.ts';
import { registerConsoleApi } from '../console/register.ts';
import { Guests } from '../console/registry.ts';
import { startConsoleServer } from '../console/server.ts';
import { startExecServer } from '../exec/server.ts';
import { outsideHost } from '../outside/host.ts';
import { OUTSIDE_PATH } from '../outside/server.ts';

export interface DataPlaneOptions {
  certFile: string;
  keyFile: string;
  egress: boolean;
  faults: Faults;
  log: (line: string) => void;
}

/**
 * The emulated data plane: the reachability model, the guests behind it with their consoles,
 * the kubelets' exec endpoint for pods, and the host outside the cluster beside it. Resolves with
 * the port the kubelets serve on and the outside host's address.
 */
export async function startDataPlane(cluster: Cluster, lat: LatencyProfile, opts: DataPlaneOptions): Promise<{ kubeletPort: number; outsideUrl: string; stop: () => Promise<void> }> {
  let guests: Guests | undefined;
  const world = worldFrom(cluster, { egress: opts.egress, faults: opts.faults, policyProgramMs: lat.policyProgram, switchoverMs: lat.migrationSwitchover, guestListening: (ns, vm, address) => guests?.listening(ns, vm, address) ?? [] });
  guests = new Guests(cluster, world, lat.guestSecond);
  const drops = new Map(opts.faults.consoleDrops.map((d) => [d.vmi, { times: d.times, atCommand: d.atCommand }]));
  const [cert, key] = [await readFile(opts.certFile, 'utf8'), await readFile(opts.keyFile, 'utf8')];
  const server = await startConsoleServer({ cert, key, guests, drops, log: opts.log });
  const pods = cluster.pods();
  const kubelet = await startExecServer({
    cert,
    key,
    world,
    second: lat.guestSecond,
    outside: outsideHost({ world, second: lat.guestSecond, peer: (ns, vm) => guests?.running(ns, vm) }),
    log: opts.log,
    pod: (namespace, name, container) => {
      const pod = pods.get(name, namespace);
      if (!pod || pod.status?.phase !== 'Running') return { refuse: `pod ${namespace}/${name} is not running` };
      if (container && !pod.spec?.containers.some((c) => c.name === container)) return { refuse: `container ${container} is not valid for pod ${name}` };
      const endpoint = world().endpoints.find((e) => e.kind === 'Pod' && e.namespace === namespace && e.name === name);
      return endpoint ? { endpoint } : { refuse: `pod ${namespace}/${name} has no network yet` };
    },
  });
  await registerConsoleApi(cluster.kc, server.port);
  opts.log(`console subresource served on 127.0.0.1:${server.port} through the API server; kubelet exec on 127.0.0.1:${kubelet.port}`);
  return {
    kubeletPort: kubelet.port,
    outsideUrl: `https://127.0.0.1:${kubelet.port}${OUTSIDE_PATH}`,
    stop: async () => {
      await Promise.all([server.close(), kubelet.close()]);
    },
  };
}
