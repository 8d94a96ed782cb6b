/**
 * The sandbox's supervisor: the leader of one process group holding etcd, kube-apiserver and
 * kube-controller-manager (and the emulated controllers). Stopping the group stops everything;
 * if any part dies, the supervisor takes the rest down and records why.
 *   node --import tsx src/sandbox/supervisor.ts DIR BINARIES_JSON OPTIONS_JSON
 */
import type { ChildProcess } from 'node:child_process';
import { describeApiError } from '../cluster/api-errors.ts';
import type { ControlPlaneBinaries } from './binaries.ts';
import { bootstrapApi } from './bootstrap.ts';
import { startControlPlane, stopChildren } from './control-plane.ts';
import { startEmulators } from './emulators/index.ts';
import { loadFaults } from './emulators/faults.ts';
import { writeState, type EmulationOptions, type SandboxState } from './state.ts';

const [dir, binariesJson, optionsJson] = process.argv.slice(2);
if (!dir || !binariesJson || !optionsJson) {
  process.stderr.write('usage: supervisor.ts DIR BINARIES_JSON OPTIONS_JSON\n');
  process.exit(2);
}
const options = JSON.parse(optionsJson) as EmulationOptions;

const log = (line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);
const base: SandboxState = { pgid: process.pid, phase: 'starting', startedAt: new Date().toISOString() };
const children: ChildProcess[] = [];
let stopping = false;
let emulators: { stop: () => Promise<void> } | undefined;

async function shutdown(phase: 'stopped' | 'failed', error?: string): Promise<never> {
  if (stopping) return new Promise<never>(() => undefined);
  stopping = true;
  log(phase === 'failed' ? `failed: ${error}` : 'stopping');
  await emulators?.stop().catch(() => undefined);
  await stopChildren(children);
  await writeState(dir!, { ...base, phase, ...(error ? { error } : {}) });
  process.exit(phase === 'failed' ? 1 : 0);
}

process.on('SIGTERM', () => void shutdown('stopped'));
process.on('SIGINT', () => void shutdown('stopped'));

try {
  await writeState(dir, base);
  const plane = await startControlPlane(dir, JSON.parse(binariesJson) as ControlPlaneBinaries, log, children);
  for (const child of children) {
    child.once('exit', (code, signal) => void shutdown('failed', `${child.spawnfile} exited (${code ?? signal})`));
  }
  await bootstrapApi(plane.kubeconfigPath);
  log('API types and nodes installed');
  emulators = await startEmulators({ kubeconfigPath: plane.kubeconfigPath, profile: options.profile, scale: options.scale, faults: await loadFaults(options.faultsFile), log });
  log(`emulated OVN-Kubernetes, KubeVirt and kubelets running (${options.profile} timings ×${options.scale}${options.faultsFile ? `, faults from ${options.faultsFile}` : ''})`);
  await writeState(dir, { ...base, phase: 'ready', server: plane.server, kubeconfigPath: plane.kubeconfigPath, emulation: options });
  log('ready');
} catch (err) {
  await shutdown('failed', describeApiError(err));
}
