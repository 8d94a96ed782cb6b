import { KubeConfig } from '@kubernetes/client-node';
import type { ClusterRef } from '../model/cluster.ts';

/** The API client configuration for a cluster reference: the kubeconfig is read here, by path. */
export function kubeConfigFor(cluster: ClusterRef): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(cluster.kubeconfigPath);
  if (cluster.context) kc.setCurrentContext(cluster.context);
  return kc;
}

export const FIELD_MANAGER = 'udn-demo';
