import { readFile } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:https';
import type { ClientRequest, IncomingMessage, ServerResponse } from 'node:http';
import { connect } from 'node:tls';
import type { Duplex } from 'node:stream';
import type { ApiErrorRule } from './emulators/faults.ts';

export interface FaultProxy {
  port: number;
  close: () => Promise<void>;
}

/**
 * A TLS pass-through in front of kube-apiserver that answers chosen requests with an API error
 * (a 500 from a webhook, a 429, …) a set number of times, so clients meet failures exactly as a
 * real cluster produces them. It serves with the API server's own certificate, so the same CA
 * and token work through it; watches stream and upgrades (exec, console) are piped as they are.
 */
export async function startFaultProxy(opts: {
  upstreamPort: number;
  caPem: string;
  certFile: string;
  keyFile: string;
  rules: ApiErrorRule[];
  closeWatchesAfterSeconds?: number;
  log: (line: string) => void;
}): Promise<FaultProxy> {
  const left = opts.rules.map((r) => r.times);
  const server: Server = createServer({ cert: await readFile(opts.certFile), key: await readFile(opts.keyFile) }, (req, res) => {
    const call = describe(req);
    const i = opts.rules.findIndex((r, k) => left[k]! > 0 && matches(r, call));
    if (i >= 0) {
      left[i]!--;
      const rule = opts.rules[i]!;
      opts.log(`fault: ${req.method} ${req.url} → HTTP ${rule.code} (${left[i]} more)`);
      res.writeHead(rule.code, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: rule.message, reason: reasonFor(rule.code), code: rule.code }));
      return;
    }
    // A client that went away must not take the proxy (and the supervisor) with it.
    res.on('error', () => undefined);
    const upstream = forward(req, res, opts);
    if (call.verb === 'watch' && opts.closeWatchesAfterSeconds) {
      const timer = setTimeout(() => {
        opts.log(`fault: closed watch ${req.url}`);
        upstream.destroy();
        res.end();
      }, opts.closeWatchesAfterSeconds * 1000);
      res.on('close', () => clearTimeout(timer));
    }
  });
  server.on('clientError', (_err, socket) => socket.destroy());
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const upstream = connect({ host: '127.0.0.1', port: opts.upstreamPort, ca: opts.caPem }, () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`, ...rawHeaders(req), '', ''];
      upstream.write(lines.join('\r\n'));
      upstream.write(head);
      upstream.pipe(socket).pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

interface Call {
  verb: string;
  resource: string;
  namespace?: string;
}

/** The verb and resource of a REST call, as RBAC names them. */
export function describe(req: Pick<IncomingMessage, 'method' | 'url'>): Call {
  const url = new URL(req.url ?? '/', 'https://x');
  const parts = url.pathname.split('/').filter(Boolean);
  const rest = parts[0] === 'api' ? parts.slice(2) : parts.slice(3);
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length > 2) {
    namespace = rest[1];
    rest.splice(0, 2);
  }
  const [resource = '', name] = rest;
  const method = req.method ?? 'GET';
  const verb =
    method === 'POST' ? 'create' : method === 'PUT' ? 'update' : method === 'PATCH' ? 'patch' : method === 'DELETE' ? 'delete' : url.searchParams.get('watch') === 'true' ? 'watch' : name ? 'get' : 'list';
  return { verb, resource, ...(namespace ? { namespace } : {}) };
}

function matches(rule: ApiErrorRule, call: Call): boolean {
  return rule.resource === call.resource && (rule.verb === '*' || rule.verb === call.verb) && (!rule.namespace || rule.namespace === call.namespace);
}

function reasonFor(code: number): string {
  return code === 429 ? 'TooManyRequests' : code === 409 ? 'Conflict' : code === 503 ? 'ServiceUnavailable' : code === 504 ? 'Timeout' : 'InternalError';
}

function forward(req: IncomingMessage, res: ServerResponse, opts: { upstreamPort: number; caPem: string }): ClientRequest {
  const upstream = request({ host: '127.0.0.1', port: opts.upstreamPort, method: req.method, path: req.url, headers: req.headers, ca: opts.caPem }, (up) => {
    if (res.writableEnded) return void up.destroy();
    res.writeHead(up.statusCode ?? 502, up.headers);
    up.on('error', () => res.destroy());
    up.pipe(res);
  });
  upstream.on('error', (err) => {
    if (res.writableEnded) return;
    if (!res.headersSent) res.writeHead(502);
    res.end(String(err));
  });
  res.on('close', () => upstream.destroy());
  req.pipe(upstream);
  return upstream;
}

function rawHeaders(req: IncomingMessage): string[] {
  const out: string[] = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) out.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
  return out;
}
