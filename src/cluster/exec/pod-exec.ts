import { Writable } from 'node:stream';
import { CoreV1Api, Exec, type KubeConfig, type V1Status } from '@kubernetes/client-node';
import type { WorkloadRef } from '../../model/workload.ts';

export interface PodExecResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** The exec API's own failure (no such container, executable not found), not the command's exit status. */
export class PodExecFailed extends Error {
  override name = 'PodExecFailed';
}

/**
 * Runs an argument vector in a pod's container through the Kubernetes exec API (websocket,
 * channel.k8s.io), as `kubectl exec` does, and returns its output and exit status. A timeout or
 * an abort closes the websocket; an abort rejects with the signal's reason.
 */
export async function execInPod(kc: KubeConfig, pod: WorkloadRef, container: string | undefined, argv: readonly string[], timeoutMs: number, signal?: AbortSignal): Promise<PodExecResult> {
  signal?.throwIfAborted();
  let stdout = '';
  let stderr = '';
  const sink = (append: (s: string) => void) =>
    new Writable({
      write(chunk: Buffer, _enc, done) {
        append(chunk.toString('utf8'));
        done();
      },
    });
  let settle: (s: V1Status) => void = () => undefined;
  const status = new Promise<V1Status>((resolve) => (settle = resolve));
  const ws = await new Exec(kc)
    .exec(pod.namespace, pod.name, container ?? '', [...argv], sink((s) => (stdout += s)), sink((s) => (stderr += s)), null, false, (s) => settle(s))
    .catch(async (err: { message?: string }) => {
      throw new PodExecFailed(`exec in ${pod.namespace}/${pod.name}: ${await whyRefused(kc, pod, container).catch(() => undefined) ?? err.message ?? 'refused'}`);
    });
  let stop: (err: unknown) => void = () => undefined;
  let done = false;
  let statusGrace: NodeJS.Timeout | undefined;
  const closed = new Promise<never>((_, reject) => {
    stop = (err) => {
      ws.close();
      reject(err);
    };
    // The status may trail the close a little; a socket we closed ourselves needs no wait.
    ws.on('close', () => {
      if (!done) statusGrace = setTimeout(() => reject(new PodExecFailed(`exec in ${pod.namespace}/${pod.name} ended without a status`)), 100);
    });
  });
  const timer = setTimeout(() => stop(new PodExecFailed(`exec in ${pod.namespace}/${pod.name} did not finish within ${Math.round(timeoutMs / 1000)} s: ${argv.join(' ')}`)), timeoutMs);
  const aborted = () => stop(signal!.reason);
  // Aborted during the handshake: the socket it opened goes at once.
  if (signal?.aborted) aborted();
  else signal?.addEventListener('abort', aborted, { once: true });
  try {
    const s = await Promise.race([status, closed]);
    if (s.status === 'Success') return { stdout, stderr, exitCode: 0 };
    const code = s.details?.causes?.find((c) => c.reason === 'ExitCode')?.message;
    if (s.reason === 'NonZeroExitCode' && code !== undefined) return { stdout, stderr, exitCode: Number(code) };
    throw new PodExecFailed(`exec in ${pod.namespace}/${pod.name}: ${s.message ?? s.reason ?? 'failed'}`);
  } finally {
    done = true;
    clearTimeout(timer);
    clearTimeout(statusGrace);
    signal?.removeEventListener('abort', aborted);
  }
}

/** The websocket handshake hides the API server's reason; the pod itself usually shows it. */
async function whyRefused(kc: KubeConfig, pod: WorkloadRef, container: string | undefined): Promise<string | undefined> {
  const p = await kc.makeApiClient(CoreV1Api).readNamespacedPod({ namespace: pod.namespace, name: pod.name });
  const names = p.spec?.containers.map((c) => c.name) ?? [];
  if (container && !names.includes(container)) return `container ${container} is not valid for pod ${pod.name} (containers: ${names.join(', ')})`;
  if (p.status?.phase !== 'Running') return `pod is ${p.status?.phase ?? 'Pending'}, not Running`;
  return undefined;
}
