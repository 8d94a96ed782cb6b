import { readFile, statfs } from 'node:fs/promises';
import { freemem, totalmem } from 'node:os';
import { dirname } from 'node:path';
import which from 'which';
import { devServerStatus, type DevServerOptions, type DevServerStatus } from '../client/dev-server.ts';
import { checkKindTools } from '../cluster/providers/kind/tools.ts';
import type { ToolCheck } from '../cluster/providers/types.ts';
import type { KindConfig } from '../config/schema.ts';
import { paths } from '../config/paths.ts';
import { planBinary, type BinaryPlan, type BinarySpec } from '../host/binaries.ts';
import { isListening } from '../host/tcp-probe.ts';
import type { InotifyLimit } from './classify-host.ts';

/**
 * Everything doctor asks the machine, behind one interface so tests can stand in for it. Each
 * answer only looks: nothing is started, built, downloaded or written; commands time out fast.
 */
export interface Probe {
  nodeVersion: string;
  /** package.json's engines.node. */
  engines(): Promise<string>;
  dataDir: string;
  cacheDir: string;
  kindTools(kind: KindConfig): Promise<ToolCheck[]>;
  which(name: string): Promise<string | undefined>;
  devServer(opts: DevServerOptions): Promise<DevServerStatus>;
  listening(host: string, port: number): Promise<boolean>;
  /** GiB free on the file system that holds dir (or would, once created). */
  freeGiB(dir: string): Promise<number | undefined>;
  memoryGiB(): { total: number; free: number };
  inotify(limit: InotifyLimit): Promise<number | undefined>;
  plan(spec: BinarySpec): Promise<BinaryPlan>;
}

const GiB = 2 ** 30;

export function systemProbe(env: NodeJS.ProcessEnv = process.env): Probe {
  return {
    nodeVersion: process.versions.node,
    engines: async () => ((JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { engines?: { node?: string } }).engines?.node ?? ''),
    dataDir: paths.dataDir,
    cacheDir: paths.cacheDir,
    kindTools: (kind) => checkKindTools(kind, env, paths.dataDir),
    which: async (name) => (await which(name, { nothrow: true, path: env.PATH })) ?? undefined,
    devServer: (opts) => devServerStatus(opts),
    listening: (host, port) => isListening(host, port),
    freeGiB: nearestFreeGiB,
    memoryGiB: () => ({ total: totalmem() / GiB, free: freemem() / GiB }),
    inotify: async (limit) => {
      const value = Number((await readFile(`/proc/sys/fs/inotify/${limit}`, 'utf8').catch(() => '')).trim());
      return Number.isFinite(value) && value > 0 ? value : undefined;
    },
    plan: (spec) => planBinary(spec, env, paths.binDir),
  };
}

/** Our dirs may not exist before the first run: measure the closest ancestor that does. */
async function nearestFreeGiB(dir: string): Promise<number | undefined> {
  for (let at = dir; ; at = dirname(at)) {
    const fs = await statfs(at).catch(() => undefined);
    if (fs) return (fs.bavail * fs.bsize) / GiB;
    if (dirname(at) === at) return undefined;
  }
}
