import { KubeConfig } from '@kubernetes/client-node';
import { startDataPlane } from '../dataplane/start.ts';
import { Cluster } from './api.ts';
import { cudnEmulator } from './cudn.ts';
import type { Controller } from './controller.ts';
import type { Faults } from './faults.ts';
import { kubeletEmulator } from './kubelet.ts';
import { kubevirtEmulator } from './kubevirt.ts';
import { latency, type ProfileName } from './latency.ts';
import { metallbEmulator } from './metallb.ts';
import { migrationEmulator } from './migration.ts';
import { ovnKubernetesEmulator } from './ovn-kubernetes.ts';

export interface EmulatorOptions {
  kubeconfigPath: string;
  profile: ProfileName;
  scale: number;
  faults: Faults;
  /** The API server's serving certificate, reused by the emulated virt-api. */
  certFile: string;
  keyFile: string;
  egress: boolean;
  log: (line: string) => void;
}

/**
 * Starts every emulated component against the API server; resolves once their caches are synced,
 * with where the outside host listens.
 */
export async function startEmulators(opts: EmulatorOptions): Promise<{ outsideUrl: string; stop: () => Promise<void> }> {
  const kc = new KubeConfig();
  kc.loadFromFile(opts.kubeconfigPath);
  const cluster = new Cluster(kc);
  const lat = latency(opts.profile, opts.scale);
  // The data plane first: the kubelets advertise its exec port in their node status.
  const plane = await startDataPlane(cluster, lat, opts);
  const controllers: Controller[] = [
    ...kubeletEmulator(cluster, lat, opts.faults, opts.log, plane.kubeletPort),
    ...ovnKubernetesEmulator(cluster, lat, opts.faults, opts.log),
    cudnEmulator(cluster, lat, opts.log),
    metallbEmulator(cluster, opts.faults, opts.log),
    ...kubevirtEmulator(cluster, lat, opts.faults, opts.log),
    migrationEmulator(cluster, lat, opts.faults, opts.log),
  ];
  await cluster.start();
  return {
    outsideUrl: plane.outsideUrl,
    stop: async () => {
      await plane.stop();
      controllers.forEach((c) => c.stop());
      await cluster.stop();
    },
  };
}
