import { isAbsolute, relative, resolve } from 'node:path';
import { z } from 'zod';
import { paths } from '../config/paths.ts';
import { inputSchemas } from '../config/schema.ts';
import { InputError } from '../errors.ts';

const { dns1123Label, hostName, scenario, guest, probes, kind, sandbox } = inputSchemas;

/** A path the worker reads or deletes: only inside its data directory, whatever the input says. */
const insideDataDir = z.string().refine((p) => {
  if (!isAbsolute(p)) return false;
  const rel = relative(resolve(paths.dataDir), resolve(p));
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}, `must be a path inside the worker's data directory (${paths.dataDir})`);

/** Names of guest files and processes, typed into a guest's shell: letters, digits and "-" only. */
const guestToken = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,127}$/, 'must be letters, digits and "-"');

const dns1123Subdomain = z.string().regex(/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/, 'must be a DNS-1123 name (lowercase letters, digits, "-", ".")');

/**
 * What each field of any activity's input must hold, by the field's name: the activity contract
 * (src/model/activities.ts) gives a name one meaning wherever it appears, so one table covers
 * every activity and every nesting. Fields not named here carry no name, path or command the
 * worker acts on.
 */
const FIELDS: Readonly<Record<string, z.ZodType>> = {
  clusterName: dns1123Label,
  provider: z.enum(['kind', 'sandbox']),
  kubeconfigPath: insideDataDir,
  scenario,
  guest,
  timing: probes,
  // A workload's or a readiness target's kind (a word), or the kind provider's pins.
  kind: z.union([z.string().regex(/^[A-Za-z]+$/), kind]),
  sandbox: sandbox.partial(),
  namespace: dns1123Label,
  namespaces: z.array(dns1123Label),
  clusterNetworks: z.array(dns1123Label),
  name: dns1123Subdomain,
  migrationName: dns1123Label,
  experimentId: guestToken,
  serverId: guestToken,
  serverAddress: hostName,
  bindAddress: hostName,
  udnIP: hostName,
  host: hostName,
  clusterIP: hostName,
  ingressIP: hostName,
  address: hostName,
  // An HTTP probe's path, typed into curl's command line in a guest.
  path: z.string().regex(/^\/[A-Za-z0-9._~\/-]*$/, 'must be an URL path of letters, digits and ._~/-'),
};

/**
 * Fields checked as a whole and not walked into: a run's result (for the report) holds names of
 * other meanings (a migration's `vmi` as text); of it, only the run's id names a directory.
 */
const WHOLE: Readonly<Record<string, z.ZodType>> = {
  result: z.looseObject({ workflowId: z.string().min(1).refine((id) => !/^\.+$/.test(id), 'must not be only dots: it names the report directory') }),
};

function describe(path: (string | number)[], issue: z.core.$ZodIssue): string {
  const where = [...path, ...issue.path].join('.');
  return `${where}: ${issue.message}`;
}

function check(value: unknown, path: (string | number)[], problems: string[]): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => check(v, [...path, i], problems));
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [key, v] of Object.entries(value)) {
    const rule = WHOLE[key] ?? FIELDS[key];
    if (rule && v !== undefined) {
      const parsed = rule.safeParse(v);
      if (!parsed.success) problems.push(...parsed.error.issues.map((issue) => describe([...path, key], issue)));
    }
    if (!WHOLE[key]) check(v, [...path, key], problems);
  }
}

/**
 * The worker's one gate: anyone who can start a workflow on its task queue chooses its input, and
 * the worker deletes directories, runs checkouts and types into consoles by what it says. Throws
 * InputError (not retryable) naming every field that fails.
 */
export function checkActivityInput(activity: string, args: readonly unknown[]): void {
  const problems: string[] = [];
  for (const arg of args) check(arg, [], problems);
  if (problems.length > 0) throw new InputError(`${activity}: refused input: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? `; and ${problems.length - 5} more` : ''}`);
}
