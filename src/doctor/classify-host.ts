import type { ToolCheck } from '../cluster/providers/types.ts';
import type { Check } from './check.ts';
import { atLeast } from '../host/version.ts';

/** Node against package.json's engines range (a ">=x.y" floor, the only form we write). */
/**
 * Below this udn-demo does not start: tsx's register() (the CLI from sources) needs 20.6, the
 * Temporal SDK 20.3. Between it and package.json's engines (what the dependencies declare:
 * vega-lite says 22) it runs, unsupported: a warning, not a failure.
 */
export const NODE_RUNS_FROM = '20.6';

export function classifyNode(version: string, engines: string): Check {
  const check = (state: Check['state'], detail: string): Check => ({ name: 'node', state, detail, neededFor: 'both' });
  const floor = /^>=\s*(\d+(?:\.\d+)*)$/.exec(engines.trim())?.[1];
  if (!floor) return check('warn', `v${version}: cannot read package.json's engines range "${engines}"`);
  if (atLeast(version, floor)) return check('ok', `v${version} (package.json wants ${engines})`);
  if (!atLeast(version, NODE_RUNS_FROM)) return check('fail', `v${version} is older than ${NODE_RUNS_FROM}, which udn-demo needs to start: install Node 24 (.nvmrc)`);
  return check('warn', `v${version} runs udn-demo, but is below package.json's ${engines} (what its dependencies declare): Node 24 LTS and 22 are supported (.nvmrc says 24)`);
}

export interface DiskNeed {
  /** What lives there, as the line names it: "data dir". */
  role: string;
  dir: string;
  minGiB: number;
  why: string;
}

/** Free space against what the sandbox needs there, and (for the data dir) kind's own room check. */
export function classifyDisk(need: DiskNeed, freeGiB: number | undefined, kindRoom?: ToolCheck): Check {
  const name = `disk (${need.role})`;
  if (freeGiB === undefined) return { name, state: 'warn', detail: `cannot measure the free space in ${need.dir}`, neededFor: 'both' };
  const free = `${freeGiB.toFixed(1)} GiB free in ${need.dir}`;
  if (freeGiB < need.minGiB) return { name, state: 'fail', detail: `${free}: ${need.why} needs about ${need.minGiB} GiB`, neededFor: 'both' };
  if (kindRoom && !kindRoom.found) return { name, state: 'fail', detail: `${free}: enough for the sandbox; for kind, ${kindRoom.hint}`, neededFor: 'kind' };
  return { name, state: 'ok', detail: free, neededFor: 'both' };
}

/** The worker peaks near 0.5 GiB (docs/PERFORMANCE.md); kube-apiserver, etcd and the dev server add about 1 GiB. */
const SANDBOX_FREE_MEMORY_GIB = 2;

/** Free memory for the sandbox (a warning: the kernel may reclaim caches), kind's total-memory check for kind. */
export function classifyMemory(totalGiB: number, freeGiB: number, kindRoom?: ToolCheck): Check {
  const have = `${freeGiB.toFixed(1)} GiB free of ${totalGiB.toFixed(1)} GiB`;
  if (kindRoom && !kindRoom.found) return { name: 'memory', state: 'fail', detail: `${have}: for kind, ${kindRoom.hint}`, neededFor: 'kind' };
  if (freeGiB < SANDBOX_FREE_MEMORY_GIB) return { name: 'memory', state: 'warn', detail: `${have}: the sandbox uses about 1.5 GiB, a Go build of kube-apiserver more`, neededFor: 'sandbox' };
  return { name: 'memory', state: 'ok', detail: have, neededFor: 'both' };
}

/** kind's nodes each run systemd and many watchers; below these, pods fail with "too many open files". */
export const INOTIFY_MINIMUM = { max_user_watches: 524288, max_user_instances: 512 } as const;
export type InotifyLimit = keyof typeof INOTIFY_MINIMUM;

export function classifyInotify(limit: InotifyLimit, value: number | undefined): Check {
  const name = `inotify ${limit}`;
  const min = INOTIFY_MINIMUM[limit];
  if (value === undefined) return { name, state: 'warn', detail: `cannot read /proc/sys/fs/inotify/${limit}: kind wants at least ${min}`, neededFor: 'kind' };
  if (value < min) return { name, state: 'warn', detail: `${value}, under ${min}: kind's nodes may fail with "too many open files"; raise it with \`sudo sysctl fs.inotify.${limit}=${min}\``, neededFor: 'kind' };
  return { name, state: 'ok', detail: String(value), neededFor: 'kind' };
}
