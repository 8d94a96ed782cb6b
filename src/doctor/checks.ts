import { defaultDevServer } from '../client/dev-server.ts';
import { TEMPORAL_CLI } from '../client/temporal-binary.ts';
import type { ToolCheck } from '../cluster/providers/types.ts';
import type { LoadedConfig } from '../config/load.ts';
import type { BinaryPlan, BinarySpec } from '../host/binaries.ts';
import { splitHostPort } from '../host/tcp-probe.ts';
import { ETCD, KUBE_APISERVER, KUBE_CONTROLLER_MANAGER } from '../sandbox/binaries.ts';
import type { Check } from './check.ts';
import { classifyBinary, type BinaryNeed } from './classify-binary.ts';
import { classifyDisk, classifyInotify, classifyMemory, classifyNode } from './classify-host.ts';
import { KIND_CHECK, classifyDocker, classifyGo, classifyKindTools, toolNamed } from './classify-kind.ts';
import { classifyConfiguredServer, classifyPort } from './classify-ports.ts';
import type { Probe } from './probe.ts';

type Settings = Pick<LoadedConfig, 'config' | 'temporalAddressExplicit'>;

/** Every check, probed in parallel, in the order a person reads them: runtimes, kind's tools, Temporal, room, binaries. */
export async function runChecks(settings: Settings, probe: Probe): Promise<Check[]> {
  const [node, kind, temporal, binaries] = await Promise.all([nodeCheck(probe), kindChecks(settings, probe), temporalChecks(settings, probe), binaryPlans(settings, probe)]);
  const [room, inotify] = await Promise.all([roomChecks(probe, kind.room, binaries.plans), inotifyChecks(probe)]);
  return [node, ...kind.checks, ...temporal, ...room, ...inotify, ...binaries.checks];
}

async function nodeCheck(probe: Probe): Promise<Check> {
  return classifyNode(probe.nodeVersion, await probe.engines());
}

async function kindChecks({ config }: Settings, probe: Probe) {
  const kind = config.cluster.kind;
  // Asked about Go even with a prebuilt OVN-Kubernetes image: run builds missing binaries with it.
  const [tools, dockerClient] = await Promise.all([probe.kindTools({ ...kind, ovnImage: undefined }), probe.which('docker')]);
  return {
    checks: [classifyGo(toolNamed(tools, KIND_CHECK.go), !kind.ovnImage), classifyDocker(toolNamed(tools, KIND_CHECK.docker), dockerClient), ...classifyKindTools(tools)],
    room: { disk: toolNamed(tools, KIND_CHECK.disk), memory: toolNamed(tools, KIND_CHECK.memory) },
  };
}

/** The embedded dev server's ports, or the configured server run will use instead. */
async function temporalChecks({ config, temporalAddressExplicit }: Settings, probe: Probe): Promise<Check[]> {
  const { address } = config.temporal;
  const { host, port } = splitHostPort(address);
  if (temporalAddressExplicit) return [classifyConfiguredServer(address, await probe.listening(host, port))];
  const opts = { ...defaultDevServer, host, port };
  const [server, uiListening] = await Promise.all([probe.devServer(opts), probe.listening(host, opts.uiPort)]);
  const ourPid = server.state === 'running' ? server.pid : undefined;
  return [
    classifyPort(port, 'gRPC', { listening: server.state !== 'stopped', ourPid, staleRecord: server.staleRecord }),
    classifyPort(opts.uiPort, 'Web UI', { listening: uiListening, ourPid }),
  ];
}

/** The binaries run may obtain: the Temporal CLI only when it starts the dev server. */
export async function binaryPlans({ temporalAddressExplicit }: Settings, probe: Probe) {
  const all: [BinarySpec, BinaryNeed][] = [
    [TEMPORAL_CLI, { neededFor: 'both' }],
    [ETCD, { neededFor: 'sandbox' }],
    [KUBE_APISERVER, { neededFor: 'sandbox' }],
    [KUBE_CONTROLLER_MANAGER, { neededFor: 'sandbox', without: 'deleted namespaces keep their objects' }],
  ];
  const wanted = temporalAddressExplicit ? all.filter(([spec]) => spec !== TEMPORAL_CLI) : all;
  const plans = await Promise.all(wanted.map(([spec]) => probe.plan(spec).catch((err: unknown) => (err instanceof Error ? err : new Error(String(err))))));
  return { plans, checks: wanted.map(([spec, need], i) => classifyBinary(spec, plans[i]!, need)) };
}

/** Go's module and build caches held 6.5 GiB here after building all four binaries; they sit beside our cache. */
const BUILD_ROOM_GIB = 8;
/** The envtest archive and what it unpacks. */
const DOWNLOAD_ROOM_GIB = 1;

async function roomChecks(probe: Probe, kind: { disk: ToolCheck; memory: ToolCheck }, plans: readonly (BinaryPlan | Error)[]): Promise<Check[]> {
  const hows = new Set(plans.map((p) => (p instanceof Error ? 'error' : p.how)));
  // With every binary at hand, run writes nothing there.
  const cacheNeed = hows.has('build')
    ? { minGiB: BUILD_ROOM_GIB, why: 'building the missing binaries with Go' }
    : hows.has('download')
      ? { minGiB: DOWNLOAD_ROOM_GIB, why: 'downloading the missing binaries' }
      : { minGiB: 0, why: 'nothing' };
  const [data, cache] = await Promise.all([probe.freeGiB(probe.dataDir), probe.freeGiB(probe.cacheDir)]);
  const memory = probe.memoryGiB();
  return [
    classifyDisk({ role: 'data dir', dir: probe.dataDir, minGiB: 1, why: "the sandbox's etcd, logs and the dev server's database" }, data, kind.disk),
    classifyDisk({ role: 'cache dir', dir: probe.cacheDir, ...cacheNeed }, cache),
    classifyMemory(memory.total, memory.free, kind.memory),
  ];
}

async function inotifyChecks(probe: Probe): Promise<Check[]> {
  const [watches, instances] = await Promise.all([probe.inotify('max_user_watches'), probe.inotify('max_user_instances')]);
  return [classifyInotify('max_user_watches', watches), classifyInotify('max_user_instances', instances)];
}
