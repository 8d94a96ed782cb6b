import { execa } from 'execa';
import { InfrastructureError, InterruptedError, firstLine } from '../../../errors.ts';
import type { OutsideResult } from '../types.ts';

/** What the evidence calls this machine: kind's nodes are containers on it, their addresses on its docker network. */
export const HOST_NAME = 'the machine running kind';

/**
 * Runs an argument vector on this machine (the talk's `curl <node InternalIP>:<nodePort>` from
 * the hypervisor): never a shell, no stdin. A command that runs and fails is a result; one that
 * cannot start (not installed) throws.
 */
export async function hostExec(argv: readonly string[], timeoutMs: number, env: NodeJS.ProcessEnv, signal?: AbortSignal): Promise<OutsideResult> {
  const [file, ...args] = argv;
  if (!file) throw new InfrastructureError('nothing to run on this machine');
  const r = await execa(file, args, { env, reject: false, stdin: 'ignore', stripFinalNewline: false, timeout: timeoutMs, ...(signal ? { cancelSignal: signal } : {}) });
  if (r.isCanceled) throw new InterruptedError(`${HOST_NAME}: \`${argv.join(' ')}\` interrupted`);
  if (r.timedOut) throw new InfrastructureError(`${HOST_NAME}: \`${argv.join(' ')}\` did not finish within ${timeoutMs / 1000} s`);
  if (r.exitCode === undefined) throw new InfrastructureError(`${HOST_NAME} cannot run ${file}: ${firstLine(r.shortMessage ?? 'not found')}; install it`);
  return { stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode, host: HOST_NAME };
}
