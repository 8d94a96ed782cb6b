import type { KubeConfig } from '@kubernetes/client-node';
import { ConsoleQueue } from '../cluster/console/console-queue.ts';
import type { ConsoleOptions } from '../cluster/console/sessions.ts';
import { Transcript } from '../cluster/console/transcript.ts';
import { execInPod } from '../cluster/exec/pod-exec.ts';
import { kubeConfigFor } from '../cluster/kube.ts';
import { agnhostConnectCommand, interpretAgnhost, interpretTry, probeCommand, type ProbeTry } from '../cluster/probes/commands.ts';
import { settle } from '../cluster/probes/settle.ts';
import { describeProbe } from '../analysis/checks.ts';
import { serviceEntry } from '../analysis/services.ts';
import type { GuestConfig } from '../config/schema.ts';
import { InputError } from '../errors.ts';
import { sleep } from '../host/abortable.ts';
import { isOutside, type Probe, type ProbeObservation } from '../model/probe.ts';
import type { ServiceAddresses } from '../model/activities.ts';
import { providerOf } from './cluster.ts';
import { workloadKey, type Inventory } from '../model/workload.ts';
import { withProgress, type Progress } from './heartbeat.ts';
import type { ProbeRequest } from '../model/activities.ts';

/** What the talk's cloud-init sets (`password: fedora`); used when the configured variable is unset. */
const TALK_GUEST_PASSWORD = 'fedora';

/**
 * Runs each probe from inside its source — a VM over its serial console, a pod through the exec
 * API — settling deny expectations with eventually/consistently semantics. Probes run at the
 * same time; one VM's probes take turns (its console is exclusive), in one login while they keep
 * coming, and the tries that come due together in one command line.
 */
export async function runProbes(req: ProbeRequest): Promise<ProbeObservation[]> {
  const kc = kubeConfigFor(req.cluster);
  const timing = { eventuallyMs: req.timing.eventuallySeconds * 1000, consistentlyMs: req.timing.consistentlySeconds * 1000, intervalMs: 500 };
  return withProgress(async (progress, signal) => {
    const clock = { now: () => Date.now(), sleep: (ms: number) => sleep(ms, signal) };
    const consoles = new ConsoleQueue(kc, consoleOptionsFor(req.guest, req.timing.connectTimeoutSeconds, signal, progress));
    const tries = req.probes.map((p) => tryOf(req, kc, consoles, p, entryOf(p, req.inventory, req.services ?? []), req.timing.connectTimeoutSeconds, signal));
    let done = 0;
    let shownPass = false;
    return Promise.all(
      req.probes.map(async (probe, i) => {
        const observation = withPath(await settle(probe, tries[i]!, timing, clock, signal), req.inventory, req.services ?? []);
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
function tryOf(req: ProbeRequest, kc: KubeConfig, consoles: ConsoleQueue, p: Probe, entry: Entry, connectTimeoutSeconds: number, signal: AbortSignal): () => Promise<ProbeTry> {
  const commandTimeoutMs = (connectTimeoutSeconds * 2 + 15) * 1000;
  const from = p.from;
  const unsendable = entry.unsendable;
  if (unsendable !== undefined) return () => Promise.resolve({ reached: undefined, detail: `not sent: ${unsendable}`, evidence: `not sent: ${unsendable}` });
  if (isOutside(from)) {
    const argv = probeCommand(p, entry.address, connectTimeoutSeconds, entry.port);
    const provider = providerOf({ provider: req.cluster.provider, clusterName: req.cluster.name });
    return async () => {
      const r = await provider.outsideExec(req.cluster, from.outside, argv, commandTimeoutMs, signal);
      const t = interpretTry(p, argv, [r.stdout, r.stderr].filter((x) => x.trim() !== '').join('\n'), r.exitCode);
      return { ...t, evidence: `on ${r.host}\n${t.evidence}` };
    };
  }
  if (from.kind === 'VirtualMachineInstance') {
    const argv = probeCommand(p, entry.address, connectTimeoutSeconds, entry.port);
    return async () => {
      const r = await consoles.exec(from, argv, commandTimeoutMs);
      return interpretTry(p, argv, r.output, r.exitCode);
    };
  }
  if (p.protocol !== 'tcp' || entry.port === undefined) {
    throw new InputError(`probe ${describeProbe(p)}: from a pod only tcp probes with a port run (agnhost connect); ${p.protocol} needs a VM as its source`);
  }
  const argv = agnhostConnectCommand(entry.address, entry.port, connectTimeoutSeconds);
  return async () => {
    const r = await execInPod(kc, from, undefined, argv, commandTimeoutMs, signal);
    return interpretAgnhost(argv, r.stderr, r.exitCode);
  };
}

/** With `progress`, what the consoles show goes to whoever follows the run (`run --presenter`, `--console`). */
export function consoleOptionsFor(guest: GuestConfig, connectTimeoutSeconds: number, signal: AbortSignal, progress?: Progress): ConsoleOptions {
  return {
    ...(progress ? { transcript: new Transcript(progress.console) } : {}),
    credentials: { user: guest.user, password: process.env[guest.passwordEnv] ?? TALK_GUEST_PASSWORD },
    connectTimeoutMs: Math.max(30_000, connectTimeoutSeconds * 1000),
    loginTimeoutMs: 40_000,
    reconnects: 1,
    signal,
  };
}

/** Where a probe went: the nodes of its source and of what answered (the workload, or the Service's endpoint). */
function withPath(o: ProbeObservation, inventory: Inventory, services: readonly ServiceAddresses[]): ProbeObservation {
  const probeFrom = o.probe.from;
  if (isOutside(probeFrom) || 'host' in o.probe.to) return o;
  const from = inventory.find((e) => workloadKey(e) === workloadKey(probeFrom));
  const to = o.probe.to;
  const toNode = 'workload' in to ? inventory.find((e) => workloadKey(e) === workloadKey(to.workload))?.node : serviceOf(to.service, services)?.endpoints.find((e) => e.ready)?.node;
  if (!from?.node || !toNode) return o;
  return { ...o, path: { fromNode: from.node, toNode, crossedNodes: from.node !== toNode } };
}

/** The address (and port) a probe's command names: a workload's UDN address, a host, or a Service's entry. */
interface Entry {
  address: string;
  port: number | undefined;
  /** Why there is no address to send the probe to. */
  unsendable?: string;
}

function entryOf(p: Probe, inventory: Inventory, services: readonly ServiceAddresses[]): Entry {
  const to = p.to;
  if ('host' in to) return { address: to.host, port: p.port };
  if ('service' in to) {
    const svc = serviceOf(to.service, services);
    const name = `${to.service.namespace}/${to.service.name}`;
    if (!svc) throw new InputError(`probe ${describeProbe(p)}: Service ${name} was not discovered`);
    // Nothing to send the probe to (no load balancer address yet): it proves nothing either way.
    return serviceEntry(svc, to.via, p.port ?? svc.port) ?? { address: '', port: p.port, unsendable: `${name} has no ${to.via} address: ${svc.missing.join('; ') || 'none given'}` };
  }
  const entry = inventory.find((e) => workloadKey(e) === workloadKey(to.workload));
  if (!entry) throw new InputError(`probe ${describeProbe(p)}: no address discovered for ${workloadKey(to.workload)}`);
  return { address: entry.udnIP, port: p.port };
}

function serviceOf(ref: { namespace: string; name: string }, services: readonly ServiceAddresses[]): ServiceAddresses | undefined {
  return services.find((s) => s.namespace === ref.namespace && s.name === ref.name);
}
