import { execa } from 'execa';
import { InfrastructureError, firstLine } from '../../../errors.ts';
import { toolOptions } from '../../../host/tool-env.ts';
import type { OutsideResult } from '../types.ts';

/** Why a container cannot run a command, and what a person does about it. */
export interface ContainerDown {
  what: string;
  fix: string;
}

const REMAKE = 'contrib/kind.sh -mlb makes it, with --rm, so a stop or a Docker restart removes it: make the cluster again (`udn-demo teardown --cluster`, then `udn-demo run`)';

/** Undefined when `container` is running; otherwise what docker says about it. */
export async function containerDown(container: string, env: NodeJS.ProcessEnv): Promise<ContainerDown | undefined> {
  const r = await execa('docker', ['inspect', '--format', '{{.State.Running}}', container], { ...toolOptions(env), reject: false, stdin: 'ignore', timeout: 10_000 });
  if (r.exitCode === 0) return r.stdout.trim() === 'true' ? undefined : { what: `container ${container} is not running`, fix: REMAKE };
  if (/no such (object|container)/i.test(r.stderr)) return { what: `container ${container} does not exist`, fix: REMAKE };
  const said = r.failed && r.exitCode === undefined ? 'docker not found' : firstLine(r.stderr.trim()) || `docker inspect exited ${r.exitCode}`;
  return { what: `docker cannot inspect container ${container} (${said})`, fix: 'install and start the Docker engine (`sudo systemctl start docker`)' };
}

/**
 * `docker exec <container> <argv…>`: an argument vector, never a shell, no stdin; its output as
 * printed (the evidence quotes it). A command that runs and fails is a result; docker failing to run it (no engine, no such container) throws.
 *
 * An abort kills the docker client and rejects with the signal's reason. Killing the client (on
 * timeout or abort) does not stop the process inside the container (docker exec has no such
 * link), so commands should carry their own limits (curl --max-time).
 */
export async function dockerExec(container: string, argv: readonly string[], timeoutMs: number, env: NodeJS.ProcessEnv, signal?: AbortSignal): Promise<OutsideResult> {
  const host = `container ${container}`;
  const r = await execa('docker', ['exec', container, ...argv], { ...toolOptions(env), reject: false, stdin: 'ignore', stripFinalNewline: false, timeout: timeoutMs, cancelSignal: signal });
  signal?.throwIfAborted();
  if (r.timedOut) throw new InfrastructureError(`${host}: \`${argv.join(' ')}\` did not finish within ${timeoutMs / 1000} s`);
  // docker's own failures share exit codes with the command's: only the container's state tells them apart.
  if (r.exitCode !== 0) {
    const down = await containerDown(container, env);
    if (down) throw new InfrastructureError(`cannot run \`${argv.join(' ')}\` in ${down.what}: ${down.fix}`);
  }
  return { stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode ?? -1, host };
}
