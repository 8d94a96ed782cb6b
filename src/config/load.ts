import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { z } from 'zod';
import { InputError, errorMessage, firstLine } from '../errors.ts';
import { configSchema, type Config } from './schema.ts';
import { temporalLayers, type TemporalLayer } from './temporal-profile.ts';

export interface LoadedConfig {
  config: Config;
  /** True when a file, a temporal CLI profile or $TEMPORAL_ADDRESS chose the server, so we must not start our own. */
  temporalAddressExplicit: boolean;
  source: string;
}

export async function loadConfig(file: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<LoadedConfig> {
  const raw = file === undefined ? {} : await readConfigFile(file);
  const source = file ?? 'built-in defaults';
  const fileTemporal = isRecord(raw.temporal) ? raw.temporal : {};
  const { profile, environment } = temporalLayers(env);
  // A file that names its key's variable keeps it, even with TEMPORAL_API_KEY set.
  if (fileTemporal.apiKeyEnv !== undefined) delete environment.apiKeyEnv;
  const temporal = mergeLayers(profile, fileTemporal, environment);
  if (env.UDN_DEMO_WEB_UI_URL) temporal.webUiUrl = env.UDN_DEMO_WEB_UI_URL;
  // Temporal Cloud's Web UI is not on the server's host: its links go to cloud.temporal.io, same paths.
  if (temporal.webUiUrl === undefined && typeof temporal.address === 'string' && /\.tmprl\.cloud(:\d+)?$/.test(temporal.address)) temporal.webUiUrl = 'https://cloud.temporal.io';
  const parsed = configSchema.safeParse({ ...raw, temporal });
  if (!parsed.success) throw new InputError(`${file === undefined ? 'config (defaults and TEMPORAL_* environment)' : `config ${file}`}: ${describeIssues(parsed.error.issues)}`);
  const { sandbox } = parsed.data;
  // Paths in a config file are relative to the file, not to wherever the worker runs.
  if (sandbox.faultsFile && file !== undefined) sandbox.faultsFile = resolve(dirname(file), sandbox.faultsFile);
  return {
    config: parsed.data,
    temporalAddressExplicit: [profile, fileTemporal, environment].some((layer) => layer.address !== undefined),
    source,
  };
}

async function readConfigFile(file: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : errorMessage(err);
    throw new InputError(`config ${file}: ${why}`);
  }
  if (text.includes('\u0000')) throw new InputError(`config ${file}: binary data, expected YAML`);
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    const where = err instanceof YAMLParseError && err.linePos ? ` at line ${err.linePos[0].line}` : '';
    throw new InputError(`config ${file}: not valid YAML${where}: ${firstLine(errorMessage(err))}`);
  }
  if (doc === null || doc === undefined) return {};
  if (!isRecord(doc)) throw new InputError(`config ${file}: expected a mapping of settings, got ${Array.isArray(doc) ? 'a list' : typeof doc}`);
  return doc;
}

export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => {
      const path = issue.path.map(String).join('.');
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Later layers win, key by key, and so do their `tls` keys. */
function mergeLayers(...layers: TemporalLayer[]): TemporalLayer {
  const out: TemporalLayer = Object.assign({}, ...layers);
  const tls = layers.map((l) => l.tls).filter(isRecord);
  if (tls.length > 0) out.tls = Object.assign({}, ...tls);
  return out;
}
