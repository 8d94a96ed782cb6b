import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFile } from 'node:fs/promises';
import { WebSocketServer, type WebSocket } from 'ws';

export interface FakeKubeApi {
  /** The objects it serves, by URL path (query ignored); anything else is a 404 Status. Mutable. */
  objects: Map<string, unknown>;
  /** A kubeconfig for it, written to the path given. */
  kubeconfigPath: string;
  /** What is open now: watches (held open, no events) and websockets (consoles, execs: accepted, left silent). */
  open(): { watches: number; sockets: number };
  close(): Promise<void>;
}

/**
 * A read-only Kubernetes API on loopback serving fixed objects: enough for GETs. A watch of a path
 * it serves is answered and held open without events, a websocket (a VMI console, a pod exec) is
 * accepted and never written to: what waits on either waits until it gives up. Plain HTTP, which
 * the client only accepts with insecure-skip-tls-verify set.
 */
export async function fakeKubeApi(kubeconfigPath: string, objects: Record<string, unknown>): Promise<FakeKubeApi> {
  const served = new Map(Object.entries(objects));
  const watches = new Set<ServerResponse>();
  const sockets = new Set<WebSocket>();
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const body = req.method === 'GET' ? served.get(url.pathname) : undefined;
    if (body && url.searchParams.get('watch') === 'true') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.flushHeaders();
      watches.add(res);
      res.on('close', () => watches.delete(res));
      return;
    }
    res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body ?? { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: `${url.pathname} not found` }));
  });
  const wss = new WebSocketServer({ server, handleProtocols: (protocols) => [...protocols][0] ?? false });
  wss.on('connection', (ws) => {
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await writeFile(
    kubeconfigPath,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'fake', cluster: { server: `http://127.0.0.1:${port}`, 'insecure-skip-tls-verify': true } }],
      users: [{ name: 'fake', user: { token: 'fake' } }],
      contexts: [{ name: 'fake', context: { cluster: 'fake', user: 'fake' } }],
      'current-context': 'fake',
    }),
  );
  return {
    objects: served,
    kubeconfigPath,
    open: () => ({ watches: watches.size, sockets: sockets.size }),
    close: () =>
      new Promise((resolve) => {
        for (const ws of sockets) ws.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
