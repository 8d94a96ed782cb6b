import { once } from 'node:events';
import type { ChildProcess } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { join } from 'node:path';
import { freePort } from '../host/free-port.ts';
import { spawnLogged, waitFor } from '../host/processes.ts';
import { isListening } from '../host/tcp-probe.ts';
import type { ControlPlaneBinaries } from './binaries.ts';
import { createCredentials, kubeconfigYaml } from './credentials.ts';

export interface ControlPlane {
  server: string;
  port: number;
  /** For the sandbox's own components; users get a kubeconfig of their own (see supervisor). */
  internalKubeconfig: string;
  caPem: string;
  token: string;
  /** The API server's self-generated serving certificate and key. */
  certFile: string;
  keyFile: string;
}

const SERVICE_CIDR = '10.96.0.0/16';

/**
 * etcd, kube-apiserver and kube-controller-manager (namespace deletion, garbage collection,
 * service accounts, EndpointSlices) on 127.0.0.1 with fresh credentials, as children of the calling process.
 * Each child is added to `children` as soon as it starts, so a failure halfway leaves the caller
 * able to stop what did start.
 */
export async function startControlPlane(dir: string, bin: ControlPlaneBinaries, log: (line: string) => void, children: ChildProcess[]): Promise<ControlPlane> {
  const logs = join(dir, 'logs');
  await mkdir(logs, { recursive: true });
  const pki = join(dir, 'pki');
  const creds = await createCredentials(pki);
  const [etcdPort, peerPort, apiPort] = [await freePort(), await freePort(), await freePort()];

  const etcdLog = join(logs, 'etcd.log');
  const etcd = spawnLogged(bin.etcd, [
    '--name', 'sandbox',
    '--data-dir', join(dir, 'etcd'),
    '--listen-client-urls', `http://127.0.0.1:${etcdPort}`,
    '--advertise-client-urls', `http://127.0.0.1:${etcdPort}`,
    '--listen-peer-urls', `http://127.0.0.1:${peerPort}`,
    '--initial-advertise-peer-urls', `http://127.0.0.1:${peerPort}`,
    '--initial-cluster', `sandbox=http://127.0.0.1:${peerPort}`,
    // The sandbox is disposable: durability costs seconds of fsync on every write.
    '--unsafe-no-fsync',
  ], etcdLog);
  children.push(etcd);
  await waitFor('etcd', etcd, () => isListening('127.0.0.1', etcdPort), 30_000, etcdLog);
  log(`etcd: ready on 127.0.0.1:${etcdPort}`);

  const apiLog = join(logs, 'kube-apiserver.log');
  const apiserver = spawnLogged(bin.kubeApiserver, [
    `--etcd-servers=http://127.0.0.1:${etcdPort}`,
    '--bind-address=127.0.0.1',
    '--advertise-address=127.0.0.1',
    `--secure-port=${apiPort}`,
    `--cert-dir=${pki}`,
    `--token-auth-file=${creds.tokenFile}`,
    '--authorization-mode=RBAC',
    `--service-cluster-ip-range=${SERVICE_CIDR}`,
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    `--service-account-key-file=${creds.serviceAccountPub}`,
    `--service-account-signing-key-file=${creds.serviceAccountKey}`,
    '--allow-privileged=true',
    '--enable-priority-and-fairness=false',
    // Exec websockets go to the emulated kubelets as they come (no translation to SPDY), on loopback.
    '--feature-gates=TranslateStreamCloseWebsocketRequests=false',
    '--kubelet-preferred-address-types=InternalDNS,InternalIP,Hostname',
    // Without kube-controller-manager nothing creates the `default` service account pods need.
    ...(bin.kubeControllerManager ? [] : ['--disable-admission-plugins=ServiceAccount']),
  ], apiLog);
  children.push(apiserver);
  const caFile = join(pki, 'apiserver.crt');
  let caPem = '';
  await waitFor('kube-apiserver', apiserver, async () => {
    caPem ||= await readFile(caFile, 'utf8').catch(() => '');
    return caPem !== '' && (await readyz(apiPort, caPem, creds.adminToken));
  }, 90_000, apiLog);
  const server = `https://127.0.0.1:${apiPort}`;
  log(`kube-apiserver: ready at ${server}`);

  const internalKubeconfig = join(pki, 'internal.kubeconfig');
  await writeFile(internalKubeconfig, kubeconfigYaml(server, caPem, creds.adminToken, 'udn-demo-sandbox'), { mode: 0o600 });
  const plane = { server, port: apiPort, internalKubeconfig, caPem, token: creds.adminToken, certFile: caFile, keyFile: join(pki, 'apiserver.key') };

  if (!bin.kubeControllerManager) return plane;
  const kcmLog = join(logs, 'kube-controller-manager.log');
  const kcm = spawnLogged(bin.kubeControllerManager, [
    `--kubeconfig=${internalKubeconfig}`,
    // endpointslice: Services' endpoints are the real controller's work, from the emulated pods.
    '--controllers=namespace,garbagecollector,serviceaccount,serviceaccount-token,endpointslice',
    `--service-account-private-key-file=${creds.serviceAccountKey}`,
    `--root-ca-file=${caFile}`,
    '--leader-elect=false',
    '--secure-port=0',
  ], kcmLog);
  children.push(kcm);
  return plane;
}

function readyz(port: number, ca: string, token: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/readyz', ca, headers: { Authorization: `Bearer ${token}` }, timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

/** Ends every child and waits for each to exit. */
export async function stopChildren(children: ChildProcess[]): Promise<void> {
  await Promise.all(
    [...children].reverse().map(async (c) => {
      if (c.exitCode !== null || c.signalCode !== null) return;
      c.kill('SIGTERM');
      const timer = setTimeout(() => c.kill('SIGKILL'), 10_000);
      await once(c, 'exit');
      clearTimeout(timer);
    }),
  );
}
