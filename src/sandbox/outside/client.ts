import { readFile } from 'node:fs/promises';
import { request } from 'node:https';
import { InfrastructureError } from '../../errors.ts';
import { readState } from '../state.ts';
import { OUTSIDE_HOST_NAME, type OutsideRun } from './host.ts';

/**
 * Runs `argv` on the outside host of the sandbox in `dir` (its supervisor serves it on loopback;
 * the state file says where). A command that runs and fails is a result; a sandbox that is not
 * running, or a command still running after `timeoutMs`, is an error.
 */
export async function outsideExec(dir: string, argv: readonly string[], timeoutMs: number, signal?: AbortSignal): Promise<OutsideRun & { host: string }> {
  const state = await readState(dir);
  if (state?.phase !== 'ready' || !state.outside) throw new InfrastructureError(`sandbox ${dir} is not running (no outside host to run ${argv.join(' ')} on)`);
  const ca = await readFile(state.outside.caFile, 'utf8');
  const body = JSON.stringify({ argv });
  const url = new URL(state.outside.url);
  const timeout = AbortSignal.timeout(timeoutMs);
  const stop = signal ? AbortSignal.any([signal, timeout]) : timeout;
  const text = await new Promise<string>((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', ca, signal: stop, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } },
      (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (data += c));
        res.on('end', () => (res.statusCode === 200 ? resolve(data) : reject(new Error(`outside host: ${res.statusCode}: ${data.trim()}`))));
        res.on('error', reject);
      },
    );
    req.on('error', (err) => reject(timeout.aborted ? new Error(`outside host: \`${argv.join(' ')}\` did not finish within ${timeoutMs} ms`) : err));
    req.end(body);
  });
  return { ...(JSON.parse(text) as OutsideRun), host: OUTSIDE_HOST_NAME };
}
