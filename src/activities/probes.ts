import { setTimeout as sleep } from 'node:timers/promises';
import type { KubeConfig } from '@kubernetes/client-node';
import { ConsoleQueue } from '../cluster/console/console-queue.ts';
import type { ConsoleOptions } from '../cluster/console/sessions.ts';
import { execInPod } from '../cluster/exec/pod-exec.ts';
import { kubeConfigFor } from '../cluster/kube.ts';
import { agnhostConnectCommand, interpretAgnhost, interpretTry, probeCommand, type ProbeTry } from '../cluster/probes/commands.ts';
import { settle } from '../cluster/probes/settle.ts';
import { describeProbe } from '../analysis/checks.ts';
import type { GuestConfig } from '../config/schema.ts';
import { InputError } from '../errors.ts';
import type { Probe, ProbeObservation } from '../model/probe.ts';
import { workloadKey, type Inventory, type WorkloadRef } from '../model/workload.ts';
import { withProgress } from './heartbeat.ts';
import type { ProbeRequest } from '../model/activities.ts';

/** What the seed's cloud-init sets (`password: fedora`); used when the configured variable is unset. */
const SEED_GUEST_PASSWORD = 'fedora';

/**
 * Runs each probe from inside its source — a VM over its serial console, a pod through the exec
 * API — settling deny expectations with eventually/consistently semantics. Probes run at the
 * same time; one VM's probes take turns (its console is exclusive), in one login while they keep
 * coming.
 */
export async function runProbes(req: ProbeRequest): Promise<ProbeObservation[]> {
  const kc = kubeConfigFor(req.cluster);
  const timing = { eventuallyMs: req.timing.eventuallySeconds * 1000, consistentlyMs: req.timing.consistentlySeconds * 1000, intervalMs: 500 };
  const clock = { now: () => Date.now(), sleep: (ms: number) => sleep(ms) };
  const consoles = new ConsoleQueue(kc, consoleOptionsFor(req.guest, req.timing.connectTimeoutSeconds));
  const tries = req.probes.map((p) => tryOf(kc, consoles, p, addressOf(p, req.inventory), req.timing.connectTimeoutSeconds));
  return withProgress(async (progress) => {
    let done = 0;
    let shownPass = false;
    return Promise.all(
      req.probes.map(async (probe, i) => {
        const observation = withPath(await settle(probe, tries[i]!, timing, clock), req.inventory);
        progress(`${++done}/${req.probes.length} probes settled; ${describeProbe(probe)}: ${observation.verdict} (${observation.detail})`);
        if (req.evidence !== 'failures' || observation.verdict !== 'pass') return observation;
        if (!shownPass) {
          shownPass = true;
          return observation;
        }
        return { ...observation, evidence: observation.evidence.split('\n')[0]! };
      }),
    );
  });
}

/** One try of a probe from its source; checked before anything runs, so bad probes fail as input errors. */
function tryOf(kc: KubeConfig, consoles: ConsoleQueue, p: Probe, address: string, connectTimeoutSeconds: number): () => Promise<ProbeTry> {
  const commandTimeoutMs = (connectTimeoutSeconds * 2 + 15) * 1000;
  if (p.from.kind === 'VirtualMachineInstance') {
    const argv = probeCommand(p, address, connectTimeoutSeconds);
    return () =>
      consoles.run(p.from, async (shell) => {
        const r = await shell.exec(argv, commandTimeoutMs);
        return interpretTry(p, argv, r.output, r.exitCode);
      });
  }
  if (p.protocol !== 'tcp' || p.port === undefined) {
    throw new InputError(`probe ${describeProbe(p)}: from a pod only tcp probes with a port run (agnhost connect); ${p.protocol} needs a VM as its source`);
  }
  const argv = agnhostConnectCommand(address, p.port, connectTimeoutSeconds);
  return async () => {
    const r = await execInPod(kc, p.from, undefined, argv, commandTimeoutMs);
    return interpretAgnhost(argv, r.stderr, r.exitCode);
  };
}

export function consoleOptionsFor(guest: GuestConfig, connectTimeoutSeconds: number): ConsoleOptions {
  return {
    credentials: { user: guest.user, password: process.env[guest.passwordEnv] ?? SEED_GUEST_PASSWORD },
    connectTimeoutMs: Math.max(30_000, connectTimeoutSeconds * 1000),
    loginTimeoutMs: 40_000,
    reconnects: 1,
  };
}

/** Where a probe between two workloads went: the nodes the inventory saw them on. */
function withPath(o: ProbeObservation, inventory: Inventory): ProbeObservation {
  if (!('workload' in o.probe.to)) return o;
  const from = inventory.find((e) => workloadKey(e) === workloadKey(o.probe.from));
  const to = inventory.find((e) => workloadKey(e) === workloadKey((o.probe.to as { workload: WorkloadRef }).workload));
  if (!from?.node || !to?.node) return o;
  return { ...o, path: { fromNode: from.node, toNode: to.node, crossedNodes: from.node !== to.node } };
}

function addressOf(p: Probe, inventory: Inventory): string {
  if ('host' in p.to) return p.to.host;
  const target = p.to.workload;
  const entry = inventory.find((e) => workloadKey(e) === workloadKey(target));
  if (!entry) throw new InputError(`probe ${describeProbe(p)}: no address discovered for ${workloadKey(target)}`);
  return entry.udnIP;
}
