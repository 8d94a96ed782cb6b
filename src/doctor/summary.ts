import { loadConfig, type LoadedConfig } from '../config/load.ts';
import { buildMinutes } from './build-minutes.ts';
import type { Check, Target } from './check.ts';
import { binaryPlans, runChecks } from './checks.ts';
import { systemProbe, type Probe } from './probe.ts';
import { blocks, neededBy } from './verdict.ts';

const CONSEQUENCE: Record<Check['neededFor'], string> = { kind: 'kind unavailable', sandbox: 'sandbox unavailable', both: 'no run can start' };

/**
 * One line: what a run on target must build or download first, and how long, then whatever
 * stops either kind of run, each by its finding (the detail up to its first ": ").
 */
export function summarize(checks: readonly Check[], target: Target): string {
  const obtained = (how: 'build' | 'download') => checks.flatMap((c) => (c.obtain?.how === how && neededBy(c, target) ? [{ name: c.name, binary: c.obtain.binary }] : []));
  const built = obtained('build');
  const downloaded = obtained('download');
  const parts = [
    ...(built.length ? [`${built.map((b) => b.name).join(', ')} to be built with Go (~${buildMinutes(built.map((b) => b.binary))} min)`] : []),
    ...(downloaded.length ? [`${downloaded.map((d) => d.name).join(', ')} to be downloaded`] : []),
    ...checks.filter((c) => blocks(c, 'sandbox') || blocks(c, 'kind')).map((c) => `${c.name} ${c.detail.split(': ')[0]} (${CONSEQUENCE[c.neededFor]})`),
  ];
  return `doctor: ${parts.length ? parts.join('; ') : 'all set'}`;
}

/**
 * For `run`, before it starts: the summary line when the run on loaded's provider must build or
 * download a binary first (so the wait is explained up front), undefined when it need not.
 */
export async function doctorSummary(loaded?: Pick<LoadedConfig, 'config' | 'temporalAddressExplicit'>, probe: Probe = systemProbe()): Promise<string | undefined> {
  const settings = loaded ?? (await loadConfig(undefined));
  const target = settings.config.cluster.provider;
  // Looking up the binaries is a few file checks; the whole doctor (docker info, kind's tools) runs only when one is missing.
  const { checks: binaries } = await binaryPlans(settings, probe);
  if (!binaries.some((c) => c.obtain && neededBy(c, target))) return undefined;
  return summarize(await runChecks(settings, probe), target);
}
