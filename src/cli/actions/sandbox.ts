import { resolve } from 'node:path';
import { DNS1123_LABEL } from '../../config/schema.ts';
import { checkFaultsFile } from '../../cluster/sandbox-faults.ts';
import { ExitCode, InputError } from '../../errors.ts';
import { PROFILES, type EmulationOptions, type ProfileName } from '../../sandbox/index.ts';
import { sandboxDir, sandboxDown, sandboxStatus, sandboxUp, type SandboxStatus } from '../../sandbox/index.ts';
import { info, printJson } from '../io.ts';

export interface UpOptions {
  json?: boolean;
  profile: string;
  scale: string;
  faults?: string;
  name: string;
  egress: boolean;
}

export async function up(opts: UpOptions): Promise<void> {
  const emulation = await emulationFromFlags(opts);
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    show(await sandboxUp({ dir: dirFor(opts.name), log: info, emulation, signal: abort.signal }), opts.json);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

export async function down(opts: { name: string }): Promise<void> {
  const outcome = await sandboxDown(dirFor(opts.name), info);
  // A stale record has been explained in a line of its own.
  if (outcome !== 'stale') info(outcome === 'stopped' ? 'sandbox: stopped and removed' : 'sandbox: there was none');
}

export async function status(opts: { json?: boolean; name: string }): Promise<void> {
  const s = await sandboxStatus(dirFor(opts.name));
  show(s, opts.json);
  process.exitCode = s.state === 'ready' ? ExitCode.passed : ExitCode.infrastructure;
}

function dirFor(name: string): string {
  if (!DNS1123_LABEL.test(name)) throw new InputError(`--name must be a DNS-1123 label, got "${name}"`);
  return sandboxDir(name);
}

async function emulationFromFlags(opts: { profile: string; scale: string; faults?: string; egress: boolean }): Promise<EmulationOptions> {
  if (!(opts.profile in PROFILES)) throw new InputError(`--profile must be one of ${Object.keys(PROFILES).join(', ')}, got "${opts.profile}"`);
  const scale = Number(opts.scale);
  if (!Number.isFinite(scale) || scale <= 0 || scale > 100) throw new InputError(`--scale must be a number above 0 and at most 100, got "${opts.scale}"`);
  let faultsFile: string | undefined;
  if (opts.faults) {
    faultsFile = resolve(opts.faults);
    await checkFaultsFile(faultsFile);
  }
  return { profile: opts.profile as ProfileName, scale, egress: opts.egress, ...(faultsFile ? { faultsFile } : {}) };
}

function show(s: SandboxStatus, json: boolean | undefined): void {
  if (json) {
    printJson(s);
    return;
  }
  const lines = [`sandbox: ${s.state}`];
  if (s.server) lines.push(`  server      ${s.server}`);
  if (s.kubeconfigPath) lines.push(`  kubeconfig  ${s.kubeconfigPath}`, `  try         kubectl --kubeconfig ${s.kubeconfigPath} get nodes`);
  if (s.emulation) lines.push(`  emulation   ${s.emulation.profile} timings ×${s.emulation.scale}${s.emulation.egress === false ? ', no egress' : ''}${s.emulation.faultsFile ? `, faults from ${s.emulation.faultsFile}` : ''}`);
  if (s.error) lines.push(`  error       ${s.error}`);
  if (s.staleRecord) lines.push(`  state file  ${s.staleRecord}`);
  lines.push(`  directory   ${s.dir}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}
