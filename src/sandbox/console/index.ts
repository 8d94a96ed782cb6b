import { readFile } from 'node:fs/promises';
import type { Cluster } from '../emulators/api.ts';
import type { Faults } from '../emulators/faults.ts';
import type { LatencyProfile } from '../emulators/latency.ts';
import { worldFrom } from '../dataplane/world.ts';
import { registerConsoleApi } from './register.ts';
import { Guests } from './registry.ts';
import { startConsoleServer } from './server.ts';

export interface DataPlaneOptions {
  certFile: string;
  keyFile: string;
  egress: boolean;
  faults: Faults;
  log: (line: string) => void;
}

/** The emulated data plane: the reachability model, the guests behind it, and their consoles. */
export async function startDataPlane(cluster: Cluster, lat: LatencyProfile, opts: DataPlaneOptions): Promise<{ stop: () => Promise<void> }> {
  let guests: Guests | undefined;
  const world = worldFrom(cluster, { egress: opts.egress, policyProgramMs: lat.policyProgram, switchoverMs: lat.migrationSwitchover, guestListening: (ns, vm) => guests?.listening(ns, vm) ?? [] });
  guests = new Guests(cluster, world, lat.guestSecond);
  const drops = new Map(opts.faults.consoleDrops.map((d) => [d.vmi, { times: d.times, atCommand: d.atCommand }]));
  const server = await startConsoleServer({ cert: await readFile(opts.certFile, 'utf8'), key: await readFile(opts.keyFile, 'utf8'), guests, drops, log: opts.log });
  await registerConsoleApi(cluster.kc, server.port);
  opts.log(`console subresource served on 127.0.0.1:${server.port} through the API server`);
  return { stop: server.close };
}
