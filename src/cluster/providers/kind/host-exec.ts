import { execa } from 'execa';
import { InfrastructureError, firstLine } from '../../../errors.ts';
import { toolOptions } from '../../../host/tool-env.ts';
import type { OutsideResult } from '../types.ts';

/** What the evidence calls this machine: kind's nodes are containers on it, their addresses on its docker network. */
export const HOST_NAME = 'the machine running kind';

/**
 * Runs an argument vector on this machine (the talk's `curl <node InternalIP>:<nodePort>` from
 * the hypervisor): never a shell, no stdin. A command that runs and fails is a result; one that
 * cannot start (not installed) throws; an abort kills it and rejects with the signal's reason.
 */
export async function hostExec(argv: readonly string[], timeoutMs: number, env: NodeJS.ProcessEnv, signal?: AbortSignal): Promise<OutsideResult> {
  const [file, ...args] = argv;
  if (!file) throw new InfrastructureError('nothing to run on this machine');
  const r = await execa(file, args, { ...toolOptions(env), reject: false, stdin: 'ignore', stripFinalNewline: false, timeout: timeoutMs, cancelSignal: signal });
  signal?.throwIfAborted();
  if (r.timedOut) throw new InfrastructureError(`${HOST_NAME}: \`${argv.join(' ')}\` did not finish within ${timeoutMs / 1000} s`);
  if (r.exitCode === undefined) throw new InfrastructureError(`${HOST_NAME} cannot run ${file}: ${firstLine(r.shortMessage ?? 'not found')}; install it`);
  return { stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode, host: HOST_NAME };
}
