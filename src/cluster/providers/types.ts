import type { ClusterRef } from '../../model/cluster.ts';
import type { OutsideRole } from '../../model/probe.ts';

export interface ToolCheck {
  name: string;
  found: boolean;
  version?: string;
  hint?: string;
}


/** What a command run outside the cluster printed, and where it ran (for the evidence). */
export interface OutsideResult {
  stdout: string;
  stderr: string;
  exitCode: number;
  /** Who ran it, as a reader of the evidence should know it: `container lbclient`, `the sandbox's outside host`. */
  host: string;
}

/**
 * What produces a cluster. Everything after ensure-cluster only sees the kubeconfig it returns.
 * An aborted `signal` stops the work the call started (kind.sh and everything it runs, the
 * command outside) and rejects with the signal's reason.
 */
export interface ClusterProvider {
  /** One cluster as runs name it, the same for every run that would touch it (a sandbox: its directory). */
  key(clusterName: string): string;
  preflight(clusterName: string): Promise<ToolCheck[]>;
  ensure(clusterName: string, progress: (line: string) => void, signal?: AbortSignal): Promise<ClusterRef>;
  /** The cluster's kubeconfig if it exists, without creating anything. */
  existing(clusterName: string): Promise<ClusterRef | undefined>;
  /** Deletes the cluster and whatever its creation made beside it; says what went. */
  remove(clusterName: string): Promise<string[]>;
  /**
   * Runs an argument vector outside the cluster, where the talk reaches its Services from (kind:
   * the client container kind.sh made, or this machine; sandbox: its emulated outside host, for
   * both). Never a shell: argv goes as it is. A command that runs and fails is a result.
   */
  outsideExec(cluster: ClusterRef, role: OutsideRole, argv: readonly string[], timeoutMs: number, signal?: AbortSignal): Promise<OutsideResult>;
}
