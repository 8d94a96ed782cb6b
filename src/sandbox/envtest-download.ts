import { mkdtemp, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { arch, platform } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { InfrastructureError, errorMessage } from '../errors.ts';

/** The envtest release setup-envtest would pick for our Kubernetes minor version. */
export const ENVTEST_VERSION = '1.34.1';
const DEFAULT_BASE = 'https://github.com/kubernetes-sigs/controller-tools/releases/download';

/**
 * For machines with internet and no Go: etcd and kube-apiserver from the envtest release archive
 * (the one setup-envtest downloads). It has no kube-controller-manager; the sandbox then runs
 * without it. $UDN_DEMO_ENVTEST_BASE_URL points elsewhere (a mirror, or a test server).
 */
export function envtestDownload(name: string) {
  return async (target: string, binDir: string, env: NodeJS.ProcessEnv): Promise<void> => {
    const os = platform();
    const cpu = arch() === 'x64' ? 'amd64' : arch();
    const file = `envtest-v${ENVTEST_VERSION}-${os}-${cpu}.tar.gz`;
    const archive = join(binDir, file);
    if (!(await exists(archive))) {
      const url = `${env.UDN_DEMO_ENVTEST_BASE_URL ?? DEFAULT_BASE}/envtest-v${ENVTEST_VERSION}/${file}`;
      let body: ArrayBuffer;
      try {
        const res = await fetch(url);
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        body = await res.arrayBuffer();
      } catch (err) {
        throw new InfrastructureError(`cannot download ${url}: ${errorMessage(err)}; install Go (to build it) or set KUBEBUILDER_ASSETS`);
      }
      await writeFile(`${archive}.part`, Buffer.from(body));
      await rename(`${archive}.part`, archive);
    }
    const unpacked = await mkdtemp(join(binDir, '.envtest-'));
    try {
      await execa('tar', ['-xzf', archive, '-C', unpacked]);
      const found = await findFile(unpacked, name);
      if (!found) throw new InfrastructureError(`${file} has no ${name}`);
      await rename(found, target);
    } finally {
      await rm(unpacked, { recursive: true, force: true });
    }
  };
}

async function findFile(dir: string, name: string): Promise<string | undefined> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      const inner = await findFile(path, name);
      if (inner) return inner;
    } else if (entry.name === name) return path;
  }
  return undefined;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
