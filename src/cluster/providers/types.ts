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
}
