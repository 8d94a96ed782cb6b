import { readFile } from 'node:fs/promises';
import { Client, Connection, type ConnectionOptions } from '@temporalio/client';
import { NativeConnection, type NativeConnectionOptions } from '@temporalio/worker';
import type { TemporalConfig } from '../config/schema.ts';
import { profileApiKey } from '../config/temporal-profile.ts';
import { InfrastructureError, InputError, errorMessage, firstLine } from '../errors.ts';

interface ResolvedOptions {
  address: string;
  tls?: NonNullable<ConnectionOptions['tls']>;
  apiKey?: string;
}

/**
 * TLS material and the API key are read here, at the edge, and never travel further. Commands
 * call it first, so an unreadable key is an input error before anything starts.
 */
export async function resolveConnectionOptions(config: TemporalConfig, env: NodeJS.ProcessEnv = process.env): Promise<ResolvedOptions> {
  const out: ResolvedOptions = { address: config.address };
  if (config.tls) {
    const read = async (label: string, path: string) => {
      try {
        return await readFile(path);
      } catch (err) {
        throw new InputError(`temporal.tls.${label}: cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? errorMessage(err)}`);
      }
    };
    out.tls = {
      clientCertPair: { crt: await read('clientCertPath', config.tls.clientCertPath), key: await read('clientKeyPath', config.tls.clientKeyPath) },
      ...(config.tls.serverRootCaCertPath ? { serverRootCACertificate: await read('serverRootCaCertPath', config.tls.serverRootCaCertPath) } : {}),
      ...(config.tls.serverName ? { serverNameOverride: config.tls.serverName } : {}),
    };
  }
  if (config.apiKeyEnv || config.apiKeyProfile) {
    const key = config.apiKeyEnv ? env[config.apiKeyEnv] : profileApiKey(config.apiKeyProfile!, env);
    if (!key) throw new InputError(config.apiKeyEnv ? `temporal.apiKeyEnv names $${config.apiKeyEnv}, which is not set` : `temporal CLI profile "${config.apiKeyProfile}" has no api_key`);
    out.apiKey = key;
    // Temporal Cloud with an API key needs TLS even without client certificates.
    out.tls ??= {};
  }
  return out;
}

export async function connectClient(config: TemporalConfig, env: NodeJS.ProcessEnv = process.env): Promise<Client> {
  const options = await resolveConnectionOptions(config, env);
  try {
    const connection = await Connection.connect({ ...options, connectTimeout: '5s' });
    return new Client({ connection, namespace: config.namespace });
  } catch (err) {
    throw new InfrastructureError(`cannot reach the Temporal server at ${config.address}: ${firstLine(errorMessage(err))}`);
  }
}

export async function connectWorker(config: TemporalConfig, env: NodeJS.ProcessEnv = process.env): Promise<NativeConnection> {
  const options: NativeConnectionOptions = await resolveConnectionOptions(config, env);
  try {
    return await NativeConnection.connect(options);
  } catch (err) {
    throw new InfrastructureError(`worker cannot reach the Temporal server at ${config.address}: ${firstLine(errorMessage(err))}`);
  }
}
