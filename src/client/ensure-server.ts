import type { LoadedConfig } from '../config/load.ts';
import { defaultDevServer, startDevServer } from './dev-server.ts';
import { isListening, splitHostPort } from '../host/tcp-probe.ts';

/**
 * An explicitly configured server is used as is. Otherwise the default address is reused when
 * something answers there, and the embedded dev server is started when nothing does.
 */
export async function ensureTemporalServer(loaded: LoadedConfig, log: (line: string) => void): Promise<void> {
  const { address } = loaded.config.temporal;
  if (loaded.temporalAddressExplicit) {
    log(`temporal: using ${address} (configured)`);
    return;
  }
  const { host, port } = splitHostPort(address);
  if (await isListening(host, port)) {
    log(`temporal: reusing the server at ${address}`);
    return;
  }
  log(`temporal: nothing answers at ${address}; starting the embedded dev server`);
  await startDevServer({ ...defaultDevServer, host, port }, log);
}
