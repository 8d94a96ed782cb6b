import type { LoadedConfig } from '../config/load.ts';
import { InfrastructureError } from '../errors.ts';
import { defaultDevServer, devServerStatus, startDevServer } from './dev-server.ts';
import { splitHostPort } from '../host/tcp-probe.ts';

/**
 * An explicitly configured server is used as is. Otherwise the default address must be our own
 * dev server (its pidfile names the live process listening there), which is reused, or free, and
 * the embedded dev server is started. Anything else there is refused: runs would be recorded in a
 * server the user never chose.
 */
export async function ensureTemporalServer(loaded: LoadedConfig, log: (line: string) => void): Promise<void> {
  const { address } = loaded.config.temporal;
  if (loaded.temporalAddressExplicit) {
    log(`temporal: using ${address} (configured)`);
    return;
  }
  const { host, port } = splitHostPort(address);
  const opts = { ...defaultDevServer, host, port };
  const status = await devServerStatus(opts);
  if (status.state === 'running') {
    log(`temporal: reusing the embedded dev server at ${address} (pid ${status.pid})`);
    return;
  }
  if (status.state === 'foreign') {
    throw new InfrastructureError(
      `something other than udn-demo's dev server listens on ${address}${status.staleRecord ? ` (${status.staleRecord})` : ''}; to use it, set TEMPORAL_ADDRESS=${address} or temporal.address in the config file (--config); otherwise stop it, and udn-demo starts its own`,
    );
  }
  log(`temporal: nothing answers at ${address}; starting the embedded dev server`);
  await startDevServer(opts, log);
}
