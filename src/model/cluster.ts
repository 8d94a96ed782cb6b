export type ProviderName = 'kind' | 'sandbox';

/**
 * How activities reach a cluster. The kubeconfig travels as a path, never as content: it holds
 * credentials and must not enter workflow history.
 */
export interface ClusterRef {
  provider: ProviderName;
  name: string;
  kubeconfigPath: string;
  context?: string;
}

/** How an emulated (sandbox) cluster behaves: its timings and the failures it is told to produce. */
export interface EmulationOptions {
  profile: 'instant' | 'realistic';
  scale: number;
  /** Whether workloads reach hosts outside the cluster (default true). */
  egress?: boolean;
  faultsFile?: string;
}
