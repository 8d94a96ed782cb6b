/**
 * The sandbox's supervisor: the leader of one process group holding etcd, kube-apiserver and
 * kube-controller-manager (and the emulated controllers). Stopping the group stops everything;
 * if any part dies, the supervisor takes the rest down and records why.
 *   node --import tsx src/sandbox/supervisor.ts DIR BINARIES_JSON OPTIONS_JSON  (compiled: node dist/sandbox/supervisor.js …)
 */
import type { ChildProcess } from 'node:child_process';
import { describeApiError } from '../cluster/api-errors.ts';
import type { ControlPlaneBinaries } from './binaries.ts';
import { bootstrapApi } from './bootstrap.ts';
import { startControlPlane, stopChildren } from './control-plane.ts';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { kubeconfigYaml } from './credentials.ts';
import { startEmulators } from './emulators/index.ts';
import { startFaultProxy, type FaultProxy } from './fault-proxy.ts';
import { loadFaults } from './emulators/faults.ts';
import { supervisorFields, writeState, type EmulationOptions, type SandboxState } from './state.ts';
import { identify } from '../host/process-identity.ts';

const [dir, binariesJson, optionsJson] = process.argv.slice(2);
if (!dir || !binariesJson || !optionsJson) {
  process.stderr.write('usage: supervisor.ts DIR BINARIES_JSON OPTIONS_JSON\n');
  process.exit(2);
}
const options = JSON.parse(optionsJson) as EmulationOptions;

const log = (line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);
// Recorded with every state it writes, so that a later reader can tell this process from a stranger given its pid.
const base: SandboxState = { ...supervisorFields(identify(process.pid)!), phase: 'starting', startedAt: new Date().toISOString() };
const children: ChildProcess[] = [];
let stopping = false;
let emulators: { stop: () => Promise<void> } | undefined;
let proxy: FaultProxy | undefined;

async function shutdown(phase: 'stopped' | 'failed', error?: string): Promise<never> {
  if (stopping) return new Promise<never>(() => undefined);
  stopping = true;
  log(phase === 'failed' ? `failed: ${error}` : 'stopping');
  await emulators?.stop().catch(() => undefined);
  await proxy?.close().catch(() => undefined);
  await stopChildren(children);
  // The directory may be gone (`sandbox down` removes it): the exit must not wait on the record.
  await writeState(dir!, { ...base, phase, ...(error ? { error } : {}) }).catch(() => undefined);
  process.exit(phase === 'failed' ? 1 : 0);
}

process.on('SIGTERM', () => void shutdown('stopped'));
// A bug here must not leave orphans running unrecorded: stop everything and say why.
process.on('uncaughtException', (err) => void shutdown('failed', `supervisor crashed: ${err.message}`));
process.on('SIGINT', () => void shutdown('stopped'));

try {
  await writeState(dir, base);
  const plane = await startControlPlane(dir, JSON.parse(binariesJson) as ControlPlaneBinaries, log, children);
  for (const child of children) {
    child.once('exit', (code, signal) => void shutdown('failed', `${child.spawnfile} exited (${code ?? signal})`));
  }
  await bootstrapApi(plane.internalKubeconfig);
  log('API types and nodes installed');
  const faults = await loadFaults(options.faultsFile);
  const started = await startEmulators({
    kubeconfigPath: plane.internalKubeconfig,
    profile: options.profile,
    scale: options.scale,
    faults,
    certFile: plane.certFile,
    keyFile: plane.keyFile,
    egress: options.egress ?? true,
    log,
  });
  emulators = started;
  // Users (and udn-demo's activities) reach the API through the fault proxy only when there are API faults to inject.
  let server = plane.server;
  if (faults.apiErrors.length > 0 || faults.closeWatchesAfterSeconds) {
    proxy = await startFaultProxy({
      upstreamPort: plane.port,
      caPem: plane.caPem,
      certFile: plane.certFile,
      keyFile: plane.keyFile,
      rules: faults.apiErrors,
      ...(faults.closeWatchesAfterSeconds ? { closeWatchesAfterSeconds: faults.closeWatchesAfterSeconds } : {}),
      log,
    });
    server = `https://127.0.0.1:${proxy.port}`;
    log(`API faults served through ${server}`);
  }
  const kubeconfigPath = join(dir, 'kubeconfig');
  await writeFile(kubeconfigPath, kubeconfigYaml(server, plane.caPem, plane.token, 'udn-demo-sandbox'), { mode: 0o600 });
  log(`emulated OVN-Kubernetes, KubeVirt and kubelets running (${options.profile} timings ×${options.scale}${options.faultsFile ? `, faults from ${options.faultsFile}` : ''})`);
  await writeState(dir, { ...base, phase: 'ready', server, kubeconfigPath, emulation: options, outside: { url: started.outsideUrl, caFile: plane.certFile } });
  log('ready');
} catch (err) {
  await shutdown('failed', describeApiError(err));
}
