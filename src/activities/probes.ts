import { setTimeout as sleep } from 'node:timers/promises';
import { withConsole, type ConsoleOptions } from '../cluster/console/sessions.ts';
import { kubeConfigFor } from '../cluster/kube.ts';
import { interpretTry, probeCommand } from '../cluster/probes/commands.ts';
import { settle } from '../cluster/probes/settle.ts';
import { describeProbe } from '../analysis/checks.ts';
import type { GuestConfig } from '../config/schema.ts';
import { InputError } from '../errors.ts';
import type { Probe, ProbeObservation } from '../model/probe.ts';
import { workloadKey, type Inventory } from '../model/workload.ts';
import { withProgress } from './heartbeat.ts';
import type { ProbeRequest } from './types.ts';

/** What the seed's cloud-init sets (`password: fedora`); used when the configured variable is unset. */
const SEED_GUEST_PASSWORD = 'fedora';

/**
 * Runs each probe from inside its source VM over the serial console, settling deny expectations
 * with eventually/consistently semantics. Probes from different VMs run at the same time; one
 * VM's probes take turns (its console is exclusive).
 */
export async function runProbes(req: ProbeRequest): Promise<ProbeObservation[]> {
  const kc = kubeConfigFor(req.cluster);
  const consoleOptions = consoleOptionsFor(req.guest, req.timing.connectTimeoutSeconds);
  const timing = { eventuallyMs: req.timing.eventuallySeconds * 1000, consistentlyMs: req.timing.consistentlySeconds * 1000, intervalMs: 500 };
  const clock = { now: () => Date.now(), sleep: (ms: number) => sleep(ms) };
  for (const p of req.probes) {
    if (p.from.kind !== 'VirtualMachineInstance') throw new InputError(`probe ${describeProbe(p)}: probes run from VMs (over the serial console); ${workloadKey(p.from)} is a ${p.from.kind}`);
  }
  return withProgress(async (progress) => {
    let done = 0;
    const results = await Promise.all(
      req.probes.map(async (probe) => {
        const address = addressOf(probe, req.inventory);
        const argv = probeCommand(probe, address, req.timing.connectTimeoutSeconds);
        const observation = await settle(
          probe,
          () => withConsole(kc, probe.from, consoleOptions, async (shell) => {
            const r = await shell.exec(argv, (req.timing.connectTimeoutSeconds * 2 + 15) * 1000);
            return interpretTry(probe, argv, r.output, r.exitCode);
          }),
          timing,
          clock,
        );
        progress(`${++done}/${req.probes.length} probes settled; ${describeProbe(probe)}: ${observation.verdict} (${observation.detail})`);
        return observation;
      }),
    );
    return results;
  });
}

export function consoleOptionsFor(guest: GuestConfig, connectTimeoutSeconds: number): ConsoleOptions {
  return {
    credentials: { user: guest.user, password: process.env[guest.passwordEnv] ?? SEED_GUEST_PASSWORD },
    connectTimeoutMs: Math.max(30_000, connectTimeoutSeconds * 1000),
    loginTimeoutMs: 40_000,
    reconnects: 1,
  };
}

function addressOf(p: Probe, inventory: Inventory): string {
  if ('host' in p.to) return p.to.host;
  const target = p.to.workload;
  const entry = inventory.find((e) => workloadKey(e) === workloadKey(target));
  if (!entry) throw new InputError(`probe ${describeProbe(p)}: no address discovered for ${workloadKey(target)}`);
  return entry.udnIP;
}
