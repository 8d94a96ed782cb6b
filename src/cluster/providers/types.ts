import type { ClusterRef } from '../../model/cluster.ts';

export interface ToolCheck {
  name: string;
  found: boolean;
  version?: string;
  hint?: string;
}

/** What produces a cluster. Everything after ensure-cluster only sees the kubeconfig it returns. */
export interface ClusterProvider {
  preflight(clusterName: string): Promise<ToolCheck[]>;
  ensure(clusterName: string, progress: (line: string) => void): Promise<ClusterRef>;
  /** The cluster's kubeconfig if it exists, without creating anything. */
  existing(clusterName: string): Promise<ClusterRef | undefined>;
  /** Deletes the cluster and whatever its creation made beside it; says what went. */
  remove(clusterName: string): Promise<string[]>;
}
