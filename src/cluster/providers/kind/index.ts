import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { paths } from '../../../config/paths.ts';
import type { KindConfig } from '../../../config/schema.ts';
import type { ClusterRef } from '../../../model/cluster.ts';
import type { ClusterProvider } from '../types.ts';
import { ensureCheckout } from './checkout.ts';
import { dockerExec } from './docker-exec.ts';
import { kindClusterProblems } from './health.ts';
import { CLIENT_CONTAINER, CLIENT_NETWORK, ROUTER_CONTAINER } from './metallb.ts';
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
  return { checkout: join(dir, 'ovn-kubernetes'), kubeconfig: join(dir, `${clusterName}.kubeconfig`), log: join(dir, `${clusterName}.kind-sh.log`) };
}

/**
 * A kind cluster made by ovn-kubernetes' contrib/kind.sh, as in the seed. kind.sh deletes and
 * recreates an existing cluster, so it never runs blindly: a healthy cluster is reused, a
 * half-made one (a crashed attempt) is deleted first, and the decision is logged. kind.sh also
 * deletes whatever file $KUBECONFIG names: it always gets a kubeconfig of ours.
 */
export function kindProvider(kind: KindConfig, overrides: Partial<KindDeps> = {}): ClusterProvider {
  const deps: KindDeps = { env: process.env, dataDir: paths.dataDir, problems: kindClusterProblems, ...overrides };
  const { env } = deps;
  const run = (cmd: string, args: string[]) => execa(cmd, args, { env, reject: false, stdin: 'ignore' });
  /** kind edits the kubeconfig it deletes a cluster from: ours, never the user's. */
  const deleteArgs = (clusterName: string) => ['delete', 'cluster', '--name', clusterName, '--kubeconfig', kindPaths(deps.dataDir, clusterName).kubeconfig];
  const listed = async (clusterName: string): Promise<boolean> => {
    const clusters = await run('kind', ['get', 'clusters']);
    return clusters.exitCode === 0 && clusters.stdout.split('\n').map((l) => l.trim()).includes(clusterName);
  };
  /** An existing cluster, with its kubeconfig (from kind, into our own file); undefined when there is none. */
  const existing = async (clusterName: string): Promise<ClusterRef | undefined> => {
    if (!(await listed(clusterName))) return undefined;
    const p = kindPaths(deps.dataDir, clusterName);
    const kubeconfig = await run('kind', ['get', 'kubeconfig', '--name', clusterName]);
    if (kubeconfig.exitCode !== 0) return undefined;
    await writeKubeconfig(p.kubeconfig, kubeconfig.stdout);
    return { provider: 'kind', name: clusterName, kubeconfigPath: p.kubeconfig };
  };
  return {
    preflight: () => checkKindTools(kind, env, deps.dataDir),
    existing,
    async remove(clusterName) {
      const removed: string[] = [];
      if ((await run('kind', deleteArgs(clusterName))).exitCode === 0) removed.push(`kind cluster ${clusterName}`);
      // What kind.sh's MetalLB setup made beside the cluster.
      for (const container of [CLIENT_CONTAINER, ROUTER_CONTAINER]) if ((await run('docker', ['rm', '-f', container])).exitCode === 0) removed.push(`container ${container}`);
      if ((await run('docker', ['network', 'rm', CLIENT_NETWORK])).exitCode === 0) removed.push(`docker network ${CLIENT_NETWORK}`);
      return removed;
    },
    // kind.sh names its MetalLB containers without the cluster's name: one client serves any cluster.
    // lbclient routes only to the load balancer's address; NodePorts are reached from this machine, as in the talk.
    outsideExec: (_cluster, role, argv, timeoutMs, signal) => (role === 'client' ? dockerExec(CLIENT_CONTAINER, argv, timeoutMs, env, signal) : hostExec(argv, timeoutMs, env, signal)),
    async ensure(clusterName, progress): Promise<ClusterRef> {
      const p = kindPaths(deps.dataDir, clusterName);
      const ref: ClusterRef = { provider: 'kind', name: clusterName, kubeconfigPath: p.kubeconfig };
      if (await listed(clusterName)) {
        const found = await existing(clusterName);
        const problems = found ? await deps.problems(found.kubeconfigPath, clusterName, env) : ['kind has no kubeconfig for it'];
        if (problems.length === 0) {
          progress(`decision: reuse kind cluster ${clusterName}: nodes Ready, OVN-Kubernetes, Multus, KubeVirt, MetalLB and ${CLIENT_CONTAINER} up`);
          return ref;
        }
        progress(`decision: replace kind cluster ${clusterName}, left half-made by an earlier attempt: ${problems.join('; ')}`);
        const del = await run('kind', deleteArgs(clusterName));
        if (del.exitCode !== 0) throw new Error(`kind delete cluster --name ${clusterName} failed: ${del.stderr.trim().split('\n').at(-1)}`);
      } else {
        progress(`decision: create kind cluster ${clusterName} (none exists)`);
      }
      await ensureCheckout(p.checkout, kind.ovnKubernetesRepo, kind.ovnKubernetesCommit, env, progress);
      const flags = [...KIND_SH_FLAGS, ...(kind.ovnImage ? ['-ov', kind.ovnImage] : [])];
      progress(`running contrib/kind.sh ${flags.join(' ')} (KubeVirt ${kind.kubevirtVersion}); log: ${p.log}`);
      const scriptEnv = { ...env, KUBECONFIG: p.kubeconfig, KIND_CLUSTER_NAME: clusterName, KUBEVIRT_VERSION: kind.kubevirtVersion };
      const r = await runLogged('./kind.sh', flags, { cwd: join(p.checkout, 'contrib'), env: scriptEnv, logFile: p.log, onLine: (line) => progress(`kind.sh: ${line}`) });
      if (r.exitCode !== 0) throw new Error(`contrib/kind.sh exited ${r.exitCode}: ${r.tail.filter(Boolean).at(-1) ?? 'no output'} (log: ${p.log})`);
      const problems = await deps.problems(p.kubeconfig, clusterName, env);
      if (problems.length > 0) throw new Error(`kind.sh finished but the cluster is not healthy: ${problems.join('; ')}`);
      progress(`kind cluster ${clusterName} ready`);
      return ref;
    },
  };
}

async function writeKubeconfig(path: string, content: string): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, content, { mode: 0o600 });
  await chmod(path, 0o600);
}
