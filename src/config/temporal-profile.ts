import { loadClientConfigProfile, type ClientConfigProfile, type ConfigDataSource } from '@temporalio/envconfig';
import { InputError, errorMessage, firstLine } from '../errors.ts';

/** The config's `temporal` keys, as far as Temporal's own client settings say them. */
export type TemporalLayer = Record<string, unknown>;

/**
 * Temporal's own client settings, read by Temporal's library so that one setup serves the
 * `temporal` CLI, the SDKs and udn-demo: the CLI's profiles (TEMPORAL_CONFIG_FILE, else
 * ~/.config/temporalio/temporal.toml; TEMPORAL_PROFILE, else "default") and the TEMPORAL_*
 * variables. Two layers, because a udn-demo config file sits between them: the environment
 * overrides the file, and the file overrides the profile.
 */
export function temporalLayers(env: NodeJS.ProcessEnv): { profile: TemporalLayer; environment: TemporalLayer } {
  const vars = setVariables(env);
  const profileName = vars.TEMPORAL_PROFILE ?? 'default';
  const read = (layer: 'profile' | 'environment'): ClientConfigProfile => {
    try {
      return loadClientConfigProfile({ overrideEnvVars: vars, ...(layer === 'profile' ? { disableEnv: true } : { disableFile: true }) });
    } catch (err) {
      throw new InputError(`temporal CLI profile "${profileName}" (${vars.TEMPORAL_CONFIG_FILE ?? 'temporal.toml'}): ${firstLine(errorMessage(err))}`);
    }
  };
  return {
    profile: asConfig(read('profile'), `temporal CLI profile "${profileName}"`, { apiKeyProfile: profileName }),
    environment: asConfig(read('environment'), 'TEMPORAL_* environment', { apiKeyEnv: 'TEMPORAL_API_KEY' }),
  };
}

/** The API key of a temporal CLI profile, read where the connection is made and nowhere else. */
export function profileApiKey(profile: string, env: NodeJS.ProcessEnv): string | undefined {
  return loadClientConfigProfile({ profile, overrideEnvVars: setVariables(env), disableEnv: true }).apiKey;
}

/** An empty variable is an unset one, as it always was here (the library would take '' as an address). */
function setVariables(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => Boolean(e[1])));
}

/** A key travels as a reference (the variable or the profile holding it), never as its value. */
function asConfig(p: ClientConfigProfile, origin: string, apiKeyRef: TemporalLayer): TemporalLayer {
  const out: TemporalLayer = {};
  if (p.address) out.address = p.address;
  if (p.namespace) out.namespace = p.namespace;
  if (p.apiKey) Object.assign(out, apiKeyRef);
  const tls = p.tls;
  if (tls && !tls.disabled) {
    const entries = {
      clientCertPath: pathOf(tls.clientCert, origin, 'client certificate'),
      clientKeyPath: pathOf(tls.clientKey, origin, 'client key'),
      serverRootCaCertPath: pathOf(tls.serverCACert, origin, 'server CA certificate'),
      serverName: tls.serverName,
    };
    const set = Object.fromEntries(Object.entries(entries).filter(([, v]) => v !== undefined));
    if (Object.keys(set).length > 0) out.tls = set;
  }
  return out;
}

function pathOf(source: ConfigDataSource | undefined, origin: string, what: string): string | undefined {
  if (source === undefined) return undefined;
  if ('path' in source) return source.path;
  throw new InputError(`${origin}: the ${what} is given inline; udn-demo reads TLS material from files: give its path instead`);
}
