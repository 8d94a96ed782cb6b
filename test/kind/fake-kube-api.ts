import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFile } from 'node:fs/promises';

export interface FakeKubeApi {
  /** The objects it serves, by URL path (query ignored); anything else is a 404 Status. Mutable. */
  objects: Map<string, unknown>;
  /** A kubeconfig for it, written to the path given. */
  kubeconfigPath: string;
  close(): Promise<void>;
}

/**
 * A read-only Kubernetes API on loopback serving fixed objects: enough for GETs. Plain HTTP, which
 * the client only accepts with insecure-skip-tls-verify set.
 */
export async function fakeKubeApi(kubeconfigPath: string, objects: Record<string, unknown>): Promise<FakeKubeApi> {
  const served = new Map(Object.entries(objects));
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const body = req.method === 'GET' ? served.get(path) : undefined;
    res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body ?? { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: `${path} not found` }));
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
  return { objects: served, kubeconfigPath, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
