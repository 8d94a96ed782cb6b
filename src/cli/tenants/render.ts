import { describeProbe } from '../../analysis/checks.ts';
import type { ProbeObservation } from '../../model/probe.ts';
import type { PhaseTimes, TenantsResult } from '../../model/tenants.ts';
import { formatDuration } from '../duration.ts';

/** The end-of-run summary of `udn-demo tenants`: counts, then every pair that did not pass. */
export function renderTenants(r: TenantsResult): string {
  const ready = r.tenants.filter((t) => t.state === 'ready').length;
  const eastWest = r.tenants.filter((t) => t.eastWest?.verdict === 'pass').length;
  const i = r.isolation;
  const lines = [
    `Tenants run ${r.workflowId}: ${r.status.toUpperCase()}`,
    '',
    `Tenants ready: ${ready}/${r.tenants.length}; east/west (vm-a → its own webserver) passed in ${eastWest}/${r.tenants.length}`,
    ...r.tenants.filter((t) => t.state === 'failed').map((t) => `  FAIL ${t.namespace} (${t.subnet}): ${t.failure ?? 'failed'}`),
    `Isolation pairs (each ready tenant's vm-a → every other's vm-b, expected blocked; ${i.concurrency} tenants probing at once): ${i.pairs} pairs, ${i.passed} passed, ${i.failed} failed, ${i.inconclusive} inconclusive`,
    ...i.exceptions.map((o) => `  ${o.verdict === 'fail' ? 'FAIL' : 'INCONCLUSIVE'} ${pair(o)}`),
    ...omittedLine(r),
    ...i.errors.map((e) => `  ERROR probes from ${e.from} could not run: ${e.message}`),
  ];
  if (i.sample) lines.push('', `A passing pair, for example: ${pair(i.sample)}`, ...i.sample.evidence.split('\n').map((l) => `    ${l}`));
  const phases = (['cluster', 'rollout', 'isolation'] as const).map((name) => `${name} ${took(r.phases[name])}`);
  lines.push('', `Phases: ${phases.join(', ')}`);
  if (r.failure) lines.push('', `Stopped: ${r.failure}`);
  return lines.join('\n');
}

/** The result lists the first exceptions only; the run's child workflows hold them all. */
function omittedLine(r: TenantsResult): string[] {
  const omitted = 'omitted' in r.isolation ? Number(r.isolation.omitted) : 0;
  return omitted > 0 ? [`  … and ${omitted} more, not listed here (the run's child workflows in the Web UI hold every one)`] : [];
}

/** `tenant-01/vm-a → tenant-02/vm-b icmp: 100% packet loss` */
function pair(o: ProbeObservation): string {
  return `${describeProbe(o.probe)}: ${o.reached ? 'reached' : 'not reached'} (${o.detail})`;
}

function took(p: PhaseTimes): string {
  if (!p.startedAt) return 'not started';
  if (!p.endedAt) return 'not finished';
  return formatDuration(Date.parse(p.endedAt) - Date.parse(p.startedAt));
}
