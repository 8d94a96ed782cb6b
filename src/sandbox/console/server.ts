import { createServer, type Server } from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Guests } from './registry.ts';
import { ConsoleSession } from './session.ts';

export const CONSOLE_GROUP = 'subresources.kubevirt.io';
export const CONSOLE_PROTOCOL = 'plain.kubevirt.io';
const CONSOLE_PATH = /^\/apis\/subresources\.kubevirt\.io\/v1\/namespaces\/([^/]+)\/virtualmachineinstances\/([^/]+)\/console$/;

export interface ConsoleServerOptions {
  cert: string;
  key: string;
  guests: Guests;
  /** The first `times` sessions of these VMIs (namespace/name) are cut when their `atCommand`-th command line arrives. */
  drops: Map<string, { times: number; atCommand: number }>;
  log: (line: string) => void;
}

/**
 * The sandbox's virt-api for the console subresource, served behind the real API server's
 * aggregation layer (an APIService), so clients take the same path as against KubeVirt. One
 * session per VMI, as with a serial console.
 */
export async function startConsoleServer(opts: ConsoleServerOptions): Promise<{ port: number; close: () => Promise<void> }> {
  const active = new Map<string, WebSocket>();
  const wss = new WebSocketServer({ noServer: true, handleProtocols: (protocols) => (protocols.has(CONSOLE_PROTOCOL) ? CONSOLE_PROTOCOL : false) });
  const server: Server = createServer({ cert: opts.cert, key: opts.key }, (req, res) => {
    if (req.url?.split('?')[0] === `/apis/${CONSOLE_GROUP}/v1`) {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(discovery()));
      return;
    }
    res.writeHead(404, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: `${req.url} not found` }));
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const m = CONSOLE_PATH.exec(req.url?.split('?')[0] ?? '');
    const refuse = (code: number, message: string) => {
      socket.end(`HTTP/1.1 ${code} ${code === 404 ? 'Not Found' : code === 409 ? 'Conflict' : 'Bad Request'}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${message}`);
    };
    if (!m) return refuse(404, 'not found');
    const [namespace, name] = [decodeURIComponent(m[1]!), decodeURIComponent(m[2]!)];
    const key = `${namespace}/${name}`;
    const vmi = opts.guests.vmi(namespace, name);
    if (!vmi) return refuse(404, `virtualmachineinstance.kubevirt.io "${name}" not found`);
    if (vmi.status?.phase !== 'Running') return refuse(400, `Unable to connect to VM because phase is ${vmi.status?.phase ?? 'Pending'} instead of Running`);
    if (active.has(key)) return refuse(409, `serial console of ${key} is in use by another connection`);
    wss.handleUpgrade(req, socket, head, (ws) => {
      active.set(key, ws);
      const drop = opts.drops.get(key);
      const dropAt = drop && drop.times > 0 ? drop.atCommand : 0;
      if (drop && drop.times > 0) drop.times--;
      let commands = 0;
      const session = new ConsoleSession(opts.guests.guest(vmi), (text) => ws.send(Buffer.from(text)), () => {
        if (++commands === dropAt) {
          opts.log(`console ${key}: dropping the session (fault consoleDrops)`);
          session.close();
          ws.terminate();
        }
      });
      opts.log(`console ${key}: connected`);
      ws.on('message', (data: Buffer) => session.input(data.toString('utf8')));
      ws.on('close', () => {
        session.close();
        if (active.get(key) === ws) active.delete(key);
        opts.log(`console ${key}: disconnected`);
      });
    });
  });

  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    close: async () => {
      for (const ws of active.values()) ws.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function discovery() {
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: `${CONSOLE_GROUP}/v1`,
    resources: [{ name: 'virtualmachineinstances/console', singularName: '', namespaced: true, kind: 'VirtualMachineInstance', verbs: ['get'] }],
  };
}
