import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { locateBinary, type BinarySpec, type LocateOptions } from '../host/binaries.ts';
import type { ReleaseSource } from '../host/download.ts';
import { errorMessage } from '../errors.ts';
import { envtestDownload } from './envtest-download.ts';

const toolsDir = fileURLToPath(new URL('../../tools/', import.meta.url));
export const KUBERNETES_VERSION = '1.34.4';
export const ETCD_VERSION = '3.6.6';

// Without these the binaries report v0.0.0-master, which kubectl refuses to parse.
const [major, minor] = KUBERNETES_VERSION.split('.');
const versionFlags = [
  '-s -w',
  `-X k8s.io/component-base/version.gitVersion=v${KUBERNETES_VERSION}`,
  `-X k8s.io/component-base/version.gitMajor=${major}`,
  `-X k8s.io/component-base/version.gitMinor=${minor}`,
  '-X k8s.io/component-base/version.gitTreeState=clean',
].join(' ');

/** Kubernetes publishes each server binary on its own, with a <binary>.sha256 beside it. */
const kubeRelease = (name: string): ReleaseSource => ({
  base: 'https://dl.k8s.io/release',
  baseEnv: 'UDN_DEMO_DOWNLOAD_BASE_KUBERNETES',
  file: (version, arch) => `v${version}/bin/linux/${arch}/${name}`,
  sums: (version, arch) => `v${version}/bin/linux/${arch}/${name}.sha256`,
});

const kube = (name: string): BinarySpec => ({
  name,
  label: name,
  version: KUBERNETES_VERSION,
  dirEnv: 'KUBEBUILDER_ASSETS',
  release: kubeRelease(name),
  goDir: join(toolsDir, 'kube'),
  goArgs: (gobin) => ['build', '-trimpath', `-ldflags=${versionFlags}`, '-o', join(gobin, name), `k8s.io/kubernetes/cmd/${name}`],
});

export const KUBE_APISERVER: BinarySpec = { ...kube('kube-apiserver'), download: envtestDownload('kube-apiserver') };
export const KUBE_CONTROLLER_MANAGER = kube('kube-controller-manager');
export const ETCD: BinarySpec = {
  name: 'etcd',
  label: 'etcd',
  version: ETCD_VERSION,
  dirEnv: 'KUBEBUILDER_ASSETS',
  goDir: join(toolsDir, 'etcd'),
  goArgs: (gobin) => ['build', '-trimpath', '-ldflags=-s -w', '-o', join(gobin, 'etcd'), 'go.etcd.io/etcd/server/v3'],
  release: {
    base: 'https://github.com/etcd-io/etcd/releases/download',
    baseEnv: 'UDN_DEMO_DOWNLOAD_BASE_ETCD',
    file: (version, arch) => `v${version}/etcd-v${version}-linux-${arch}.tar.gz`,
    sums: (version) => `v${version}/SHA256SUMS`,
    member: (version, arch) => `etcd-v${version}-linux-${arch}/etcd`,
  },
  download: envtestDownload('etcd'),
};

export interface ControlPlaneBinaries {
  etcd: string;
  kubeApiserver: string;
  /** Absent where it can be neither found nor built (envtest's archive has none). */
  kubeControllerManager?: string;
}

/** Finds, downloads or builds the control plane's binaries (one at a time: each build wants both cores). */
export async function locateControlPlaneBinaries(options: LocateOptions = {}): Promise<ControlPlaneBinaries> {
  const path = async (spec: BinarySpec) => (await locateBinary(spec, options)).path;
  const found: ControlPlaneBinaries = { etcd: await path(ETCD), kubeApiserver: await path(KUBE_APISERVER) };
  try {
    found.kubeControllerManager = await path(KUBE_CONTROLLER_MANAGER);
  } catch (err) {
    options.log?.(`kube-controller-manager: unavailable (${errorMessage(err)}); the sandbox runs without it: deleted namespaces keep their objects`);
  }
  return found;
}
