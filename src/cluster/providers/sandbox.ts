import which from 'which';
import { withAbortReason } from '../../host/abortable.ts';
import { findExisting } from '../../host/binaries.ts';
import { paths } from '../../config/paths.ts';
import type { EmulationOptions } from '../../model/cluster.ts';
import { outsideExec, sandboxDir, sandboxDown, sandboxStatus, sandboxUp } from '../../sandbox/index.ts';
import { ETCD, KUBE_APISERVER, KUBE_CONTROLLER_MANAGER } from '../../sandbox/binaries.ts';
import type { ClusterProvider, ToolCheck } from './types.ts';

/** The sandbox as a cluster provider: a real API server, emulated data plane, no Docker. */
export function sandboxProvider(emulation: EmulationOptions | undefined): ClusterProvider {
  return {
    // Each data directory has its own sandboxes: one name is a cluster per directory.
    key: (clusterName) => `sandbox:${sandboxDir(clusterName)}`,
    async preflight() {
      const go = await which('go', { nothrow: true });
      const checks: ToolCheck[] = [];
      for (const spec of [ETCD, KUBE_APISERVER, KUBE_CONTROLLER_MANAGER]) {
        const found = await findExisting(spec, process.env, paths.binDir);
        checks.push(
          found
            ? { name: spec.name, found: true, version: spec.version }
            : { name: spec.name, found: Boolean(go), hint: go ? `will be built with Go on first use (minutes)` : `install Go, or set KUBEBUILDER_ASSETS to a directory with ${spec.name}` },
        );
      }
      return checks;
    },
    async existing(clusterName) {
      const status = await sandboxStatus(sandboxDir(clusterName));
      return status.state === 'ready' && status.kubeconfigPath ? { provider: 'sandbox', name: clusterName, kubeconfigPath: status.kubeconfigPath } : undefined;
    },
    async remove(clusterName) {
      return (await sandboxDown(sandboxDir(clusterName))) === 'stopped' ? [`sandbox ${clusterName} (its processes and data)`] : [];
    },
    async ensure(clusterName, progress, signal) {
      // An abort stops and removes what this start had started.
      const status = await withAbortReason(sandboxUp({ dir: sandboxDir(clusterName), log: progress, signal, ...(emulation ? { emulation } : {}) }), signal);
      return { provider: 'sandbox', name: clusterName, kubeconfigPath: status.kubeconfigPath! };
    },
    // One emulated outside host plays both roles: it reaches node addresses and load balancer addresses alike.
    outsideExec(cluster, _role, argv, timeoutMs, signal) {
      return withAbortReason(outsideExec(sandboxDir(cluster.name), argv, timeoutMs, signal), signal);
    },
  };
}
