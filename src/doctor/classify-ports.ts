import type { Check } from './check.ts';

export interface PortState {
  listening: boolean;
  /** Set when udn-demo's own dev server (its pidfile's live process) holds the port. */
  ourPid?: number;
  /** Why a pidfile on record was not taken for our server. */
  staleRecord?: string;
}

/**
 * A dev server port: free (run starts the dev server there), ours (run reuses it), or another
 * program's, which run refuses (gRPC) or cannot start beside (Web UI).
 */
export function classifyPort(port: number, role: 'gRPC' | 'Web UI', s: PortState): Check {
  const name = `port ${port} (Temporal ${role})`;
  if (!s.listening) return { name, state: 'ok', detail: 'free', neededFor: 'both' };
  if (s.ourPid !== undefined) return { name, state: 'ok', detail: `our dev server (pid ${s.ourPid})`, neededFor: 'both' };
  const advice =
    role === 'gRPC'
      ? `run uses no Temporal server it did not start: stop that program, or set TEMPORAL_ADDRESS=127.0.0.1:${port} to use it`
      : 'the dev server cannot start its Web UI there: stop that program';
  return { name, state: 'fail', detail: `in use by another program: ${advice}${s.staleRecord ? ` (${s.staleRecord})` : ''}`, neededFor: 'both' };
}

/** A server chosen by TEMPORAL_ADDRESS or the config file: run starts none, so it must answer. */
export function classifyConfiguredServer(address: string, listening: boolean): Check {
  return listening
    ? { name: 'Temporal server', state: 'ok', detail: `${address} answers (configured; run starts no dev server)`, neededFor: 'both' }
    : { name: 'Temporal server', state: 'fail', detail: `nothing answers at ${address}: it is configured (TEMPORAL_ADDRESS or temporal.address), so run starts no dev server of its own`, neededFor: 'both' };
}
