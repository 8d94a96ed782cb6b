import type { KubeConfig } from '@kubernetes/client-node';
import WebSocket from 'ws';
import type { WorkloadRef } from '../../model/workload.ts';
import { ConsoleBusy, ConsoleDropped, ConsoleTimeout } from './errors.ts';

export const CONSOLE_PROTOCOL = 'plain.kubevirt.io';

interface Waiter {
  pattern: RegExp;
  resolve: (m: RegExpExecArray) => void;
  reject: (e: unknown) => void;
  timer: NodeJS.Timeout;
}

/**
 * A VMI's serial console through the API server (the subresource virtctl console uses): raw
 * terminal bytes both ways, and `expect` over what the guest printed. An abort of `signal` drops
 * the websocket at once and fails what waits on the console with the signal's reason.
 */
export class ConsoleConnection {
  private buffer = '';
  private waiter: Waiter | undefined;
  private ended: unknown;
  private readonly aborted = () => {
    this.end(this.signal!.reason);
    this.ws.terminate();
  };

  private constructor(
    private readonly ws: WebSocket,
    readonly vmi: WorkloadRef,
    private readonly signal: AbortSignal | undefined,
  ) {
    ws.on('message', (data: Buffer) => {
      this.buffer += data.toString('utf8');
      this.check();
    });
    ws.on('close', () => this.end(new ConsoleDropped(`console of ${vmi.namespace}/${vmi.name} closed`)));
    ws.on('error', (err) => this.end(new ConsoleDropped(`console of ${vmi.namespace}/${vmi.name}: ${err.message}`)));
    if (signal?.aborted) this.aborted();
    else signal?.addEventListener('abort', this.aborted, { once: true });
  }

  static async open(kc: KubeConfig, vmi: WorkloadRef, timeoutMs: number, signal?: AbortSignal): Promise<ConsoleConnection> {
    signal?.throwIfAborted();
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new Error('the kubeconfig has no current cluster');
    const url = `${cluster.server.replace(/^http/, 'ws')}/apis/subresources.kubevirt.io/v1/namespaces/${encodeURIComponent(vmi.namespace)}/virtualmachineinstances/${encodeURIComponent(vmi.name)}/console`;
    const opts: Record<string, unknown> = {};
    await kc.applyToHTTPSOptions(opts as never);
    const ws = new WebSocket(url, [CONSOLE_PROTOCOL], { ...opts, handshakeTimeout: timeoutMs });
    const abortHandshake = () => ws.terminate();
    signal?.addEventListener('abort', abortHandshake, { once: true });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString('utf8')));
        res.on('end', () => {
          const message = statusMessage(body) || `HTTP ${res.statusCode}`;
          reject(res.statusCode === 409 ? new ConsoleBusy(message) : new ConsoleDropped(`console of ${vmi.namespace}/${vmi.name}: ${message}`));
        });
      });
      ws.once('error', (err) => reject(signal?.aborted ? signal.reason : new ConsoleDropped(`console of ${vmi.namespace}/${vmi.name}: ${err.message}`)));
    }).finally(() => signal?.removeEventListener('abort', abortHandshake));
    return new ConsoleConnection(ws, vmi, signal);
  }

  send(text: string): void {
    if (this.ended !== undefined) throw this.ended;
    this.ws.send(Buffer.from(text, 'utf8'));
  }

  /** Resolves with the first match of `pattern` in what arrived since the last match, consuming up to its end. */
  expect(pattern: RegExp, timeoutMs: number, what: string): Promise<{ match: RegExpExecArray; before: string }> {
    if (this.waiter) throw new Error('one expect at a time');
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        const tail = this.buffer.slice(-200).replace(/\r/g, '');
        reject(new ConsoleTimeout(`no ${what} from ${this.vmi.namespace}/${this.vmi.name} within ${Math.round(timeoutMs / 1000)} s; last output: ${JSON.stringify(tail)}`));
      }, timeoutMs);
      this.waiter = {
        pattern,
        timer,
        reject,
        resolve: (m) => {
          const before = this.buffer.slice(0, m.index);
          this.buffer = this.buffer.slice(m.index + m[0].length);
          resolve({ match: m, before });
        },
      };
      this.check();
    });
  }

  close(): void {
    this.signal?.removeEventListener('abort', this.aborted);
    this.ws.close();
  }

  private check(): void {
    const w = this.waiter;
    if (!w) return;
    if (this.ended !== undefined) {
      this.waiter = undefined;
      clearTimeout(w.timer);
      return w.reject(this.ended);
    }
    const m = new RegExp(w.pattern.source, w.pattern.flags.replace('g', '')).exec(this.buffer);
    if (!m) return;
    this.waiter = undefined;
    clearTimeout(w.timer);
    w.resolve(m);
  }

  private end(err: unknown): void {
    this.ended ??= err;
    this.check();
  }
}

function statusMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { message?: string };
    if (parsed.message) return parsed.message;
  } catch {
    // Not a Status object: the body is the message.
  }
  return body.trim().split('\n')[0] ?? '';
}
