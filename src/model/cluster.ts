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
