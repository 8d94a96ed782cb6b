import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { paths } from '../../../config/paths.ts';
import type { KindConfig } from '../../../config/schema.ts';
import { acquireFileLock } from '../../../host/file-lock.ts';
import { toolOptions } from '../../../host/tool-env.ts';
import type { ClusterRef } from '../../../model/cluster.ts';
import type { ClusterProvider } from '../types.ts';
import { ensureCheckout } from './checkout.ts';
import { dockerExec } from './docker-exec.ts';
import { kindClusterProblems } from './health.ts';
import { CLIENT_CONTAINER, CLIENT_NETWORK, ROUTER_CONTAINER } from './metallb.ts';
import { stopRecordedGroup } from './process-group.ts';
import { runLogged } from './run-logged.ts';
import { hostExec } from './host-exec.ts';
import { checkKindTools } from './tools.ts';

/** The demo's flags: Multus, interconnect, UDNs (network segmentation), MetalLB, KubeVirt. */
export const KIND_SH_FLAGS = ['--multi-network-enable', '-ic', '-nse', '-mlb', '-ikv'];

export interface KindDeps {
  env: NodeJS.ProcessEnv;
  dataDir: string;
  /** What is wrong with an existing cluster (empty: healthy). */
  problems: (kubeconfigPath: string, clusterName: string, env: NodeJS.ProcessEnv) => Promise<string[]>;
}

export function kindPaths(dataDir: string, clusterName: string) {
  const dir = join(dataDir, 'kind');
  return {
    checkout: join(dir, 'ovn-kubernetes'),
    kubeconfig: join(dir, `${clusterName}.kubeconfig`),
    log: join(dir, `${clusterName}.kind-sh.log`),
    /** Held while the cluster is created or checked (one ensure at a time on this machine). */
    lock: join(dir, `${clusterName}.lock`),
    /** kind.sh's process group while it runs: an attempt after a crash finds it there. */
    pidFile: join(dir, `${clusterName}.kind-sh.pid`),
  };
}

/**
 * A kind cluster made by ovn-kubernetes' contrib/kind.sh, as in the talk's demo script. kind.sh deletes and
 * recreates an existing cluster, so it never runs blindly: a healthy cluster is reused, a
 * half-made one (a crashed attempt) is deleted first, and the decision is logged. kind.sh also
 * deletes whatever file $KUBECONFIG names: it always gets a kubeconfig of ours.
 */
export function kindProvider(kind: KindConfig, overrides: Partial<KindDeps> = {}): ClusterProvider {
  const deps: KindDeps = { env: process.env, dataDir: paths.dataDir, problems: kindClusterProblems, ...overrides };
  const { env } = deps;
  /** An aborted signal kills the command and ends the call with its reason. */
  const run = async (cmd: string, args: string[], signal?: AbortSignal) => {
    const r = await execa(cmd, args, { ...toolOptions(env), reject: false, stdin: 'ignore', cancelSignal: signal });
    signal?.throwIfAborted();
    return r;
  };
  /** kind edits the kubeconfig it deletes a cluster from: ours, never the user's. */
  const deleteArgs = (clusterName: string) => ['delete', 'cluster', '--name', clusterName, '--kubeconfig', kindPaths(deps.dataDir, clusterName).kubeconfig];
  const listed = async (clusterName: string, signal?: AbortSignal): Promise<boolean> => {
    const clusters = await run('kind', ['get', 'clusters'], signal);
    return clusters.exitCode === 0 && clusters.stdout.split('\n').map((l) => l.trim()).includes(clusterName);
  };
  /** An existing cluster, with its kubeconfig (from kind, into our own file); undefined when there is none. */
  const existing = async (clusterName: string, signal?: AbortSignal): Promise<ClusterRef | undefined> => {
    if (!(await listed(clusterName, signal))) return undefined;
    const p = kindPaths(deps.dataDir, clusterName);
    const kubeconfig = await run('kind', ['get', 'kubeconfig', '--name', clusterName], signal);
    if (kubeconfig.exitCode !== 0) return undefined;
    await writeKubeconfig(p.kubeconfig, kubeconfig.stdout);
    return { provider: 'kind', name: clusterName, kubeconfigPath: p.kubeconfig };
  };
  return {
    // kind names its clusters machine-wide (docker's containers): the name is the cluster.
    key: (clusterName) => `kind:${clusterName}`,
    preflight: () => checkKindTools(kind, env, deps.dataDir),
    existing,
    async remove(clusterName) {
      const removed: string[] = [];
      // A kind.sh still at work would make the cluster again.
      const running = await stopRecordedGroup(kindPaths(deps.dataDir, clusterName).pidFile);
      if (running) removed.push(`contrib/kind.sh still running (process group ${running.pid})`);
      if ((await run('kind', deleteArgs(clusterName))).exitCode === 0) removed.push(`kind cluster ${clusterName}`);
      // What kind.sh's MetalLB setup made beside the cluster.
      for (const container of [CLIENT_CONTAINER, ROUTER_CONTAINER]) if ((await run('docker', ['rm', '-f', container])).exitCode === 0) removed.push(`container ${container}`);
      if ((await run('docker', ['network', 'rm', CLIENT_NETWORK])).exitCode === 0) removed.push(`docker network ${CLIENT_NETWORK}`);
      return removed;
    },
    // kind.sh names its MetalLB containers without the cluster's name: one client serves any cluster.
    // lbclient routes only to the load balancer's address; NodePorts are reached from this machine, as in the talk.
    outsideExec: (_cluster, role, argv, timeoutMs, signal) => (role === 'client' ? dockerExec(CLIENT_CONTAINER, argv, timeoutMs, env, signal) : hostExec(argv, timeoutMs, env, signal)),
    async ensure(clusterName, progress, signal): Promise<ClusterRef> {
      const p = kindPaths(deps.dataDir, clusterName);
      // Two workers creating or replacing one cluster at once would delete each other's: one at a time on this machine.
      const release = await acquireFileLock(p.lock, { doing: `creating or checking kind cluster ${clusterName}`, log: progress, patienceMs: 45 * 60_000, see: p.log, ...(signal ? { signal } : {}) });
      try {
        return await ensureLocked(clusterName, p, progress, signal);
      } finally {
        await release();
      }
    },
  };

  async function ensureLocked(clusterName: string, p: ReturnType<typeof kindPaths>, progress: (line: string) => void, signal: AbortSignal | undefined): Promise<ClusterRef> {
    const ref: ClusterRef = { provider: 'kind', name: clusterName, kubeconfigPath: p.kubeconfig };
    // A kind.sh left running by an attempt whose worker died goes before any decision: it would
    // change the cluster under this one, and two kind.sh fight over one cluster.
    const earlier = await stopRecordedGroup(p.pidFile);
    if (earlier) progress(`stopped contrib/kind.sh (process group ${earlier.pid}) left running by an earlier attempt`);
    if (await listed(clusterName, signal)) {
      const found = await existing(clusterName, signal);
      const problems = found ? await deps.problems(found.kubeconfigPath, clusterName, env) : ['kind has no kubeconfig for it'];
      signal?.throwIfAborted();
      if (problems.length === 0) {
        progress(`decision: reuse kind cluster ${clusterName}: nodes Ready, OVN-Kubernetes, Multus, KubeVirt, MetalLB and ${CLIENT_CONTAINER} up`);
        return ref;
      }
      progress(`decision: replace kind cluster ${clusterName}, left half-made by an earlier attempt: ${problems.join('; ')}`);
      const del = await run('kind', deleteArgs(clusterName), signal);
      if (del.exitCode !== 0) throw new Error(`kind delete cluster --name ${clusterName} failed: ${del.stderr.trim().split('\n').at(-1)}`);
    } else {
      progress(`decision: create kind cluster ${clusterName} (none exists)`);
    }
    await ensureCheckout(p.checkout, kind.ovnKubernetesRepo, kind.ovnKubernetesCommit, env, progress, signal);
    const flags = [...KIND_SH_FLAGS, ...(kind.ovnImage ? ['-ov', kind.ovnImage] : [])];
    progress(`running contrib/kind.sh ${flags.join(' ')} (KubeVirt ${kind.kubevirtVersion}); log: ${p.log}`);
    const scriptEnv = { ...env, KUBECONFIG: p.kubeconfig, KIND_CLUSTER_NAME: clusterName, KUBEVIRT_VERSION: kind.kubevirtVersion };
    const r = await runLogged('./kind.sh', flags, { cwd: join(p.checkout, 'contrib'), env: scriptEnv, logFile: p.log, pidFile: p.pidFile, onLine: (line) => progress(`kind.sh: ${line}`), signal });
    if (r.exitCode !== 0) throw new Error(`contrib/kind.sh exited ${r.exitCode}: ${r.tail.filter(Boolean).at(-1) ?? 'no output'} (log: ${p.log})`);
    const problems = await deps.problems(p.kubeconfig, clusterName, env);
    signal?.throwIfAborted();
    if (problems.length > 0) throw new Error(`kind.sh finished but the cluster is not healthy: ${problems.join('; ')}`);
    progress(`kind cluster ${clusterName} ready`);
    return ref;
  }
}

async function writeKubeconfig(path: string, content: string): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, content, { mode: 0o600 });
  await chmod(path, 0o600);
}
