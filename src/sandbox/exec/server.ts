import { createServer } from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { Endpoint, World } from '../dataplane/reachability.ts';
import { runInAgnhost } from './agnhost.ts';
import type { OutsideRun } from '../outside/host.ts';
import { handleOutside, OUTSIDE_PATH } from '../outside/server.ts';

const PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];
const EXEC_PATH = /^\/exec\/([^/]+)\/([^/]+)\/([^/?]+)$/;

export interface ExecServerOptions {
  cert: string;
  key: string;
  /** The running pod as the data plane sees it, or why it cannot exec. */
  pod: (namespace: string, name: string, container: string) => { endpoint: Endpoint } | { refuse: string };
  world: () => World;
  second: number;
  /** The host outside the cluster, served beside the kubelets' exec (see outside/server.ts). */
  outside: (argv: readonly string[], signal: AbortSignal) => Promise<OutsideRun>;
  log: (line: string) => void;
}

/**
 * The kubelets' exec endpoint (`/exec/NS/POD/CONTAINER?command=…`) that kube-apiserver proxies
 * `pods/exec` to: websocket channel protocol v5/v4, stdout on channel 1, stderr on 2, and the
 * exit status as a Status on channel 3, as the kubelet sends it.
 */
export async function startExecServer(opts: ExecServerOptions): Promise<{ port: number; close: () => Promise<void> }> {
  const wss = new WebSocketServer({ noServer: true, handleProtocols: (offered) => PROTOCOLS.find((p) => offered.has(p)) ?? false });
  const outside = handleOutside(opts.outside, opts.log);
  const server = createServer({ cert: opts.cert, key: opts.key }, (req, res) => {
    if (req.method === 'POST' && req.url === OUTSIDE_PATH) return outside(req, res);
    res.writeHead(404);
    res.end();
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'https://kubelet');
    const m = EXEC_PATH.exec(url.pathname);
    if (!m) return socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
    const [namespace, name, container] = [m[1]!, m[2]!, m[3]!].map(decodeURIComponent) as [string, string, string];
    const argv = url.searchParams.getAll('command');
    const found = opts.pod(namespace, name, container);
    if ('refuse' in found) return socket.end(`HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${found.refuse}`);
    wss.handleUpgrade(req, socket, head, (ws) => {
      const send = (channel: number, text: string) => text && ws.send(Buffer.concat([Buffer.from([channel]), Buffer.from(text, 'utf8')]));
      opts.log(`exec ${namespace}/${name}/${container}: ${argv.join(' ')}`);
      void runInAgnhost(argv, found.endpoint, opts.world, opts.second).then((run) => {
        send(1, run.stdout);
        send(2, run.stderr);
        send(3, JSON.stringify(statusOf(argv, run.exitCode)));
        ws.close(1000);
      });
    });
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  return { port: typeof address === 'object' && address ? address.port : 0, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

function statusOf(argv: string[], exitCode: number | undefined) {
  if (exitCode === 0) return { metadata: {}, status: 'Success' };
  if (exitCode === undefined) {
    return { metadata: {}, status: 'Failure', reason: 'InternalError', message: `OCI runtime exec failed: exec failed: unable to start container process: exec: "${argv[0]}": executable file not found in $PATH: unknown` };
  }
  return {
    metadata: {},
    status: 'Failure',
    reason: 'NonZeroExitCode',
    message: `command terminated with non-zero exit code: error executing command [${argv.join(' ')}], exit code ${exitCode}`,
    details: { causes: [{ reason: 'ExitCode', message: String(exitCode) }] },
  };
}
