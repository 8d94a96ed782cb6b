import type { Probe, ProbeObservation } from '../model/probe.ts';
import type { CheckId, CheckResult } from '../model/result.ts';

/** `green/vm-a → green/webserver http:9000/hostname` */
export function describeProbe(p: Probe): string {
  const to = 'host' in p.to ? p.to.host : `${p.to.workload.namespace}/${p.to.workload.name}`;
  const port = p.port === undefined ? '' : `:${p.port}`;
  return `${p.from.namespace}/${p.from.name} → ${to} ${p.protocol}${port}${p.path ?? ''}`;
}

/** A check passes only when every probe it rests on gave a conclusive, matching verdict. */
export function checkFromObservations(id: CheckId, description: string, observations: readonly ProbeObservation[]): CheckResult {
  if (observations.length === 0) {
    return { id, description, expected: 'at least one probe', observed: 'no probe ran', passed: false, evidence: [] };
  }
  return {
    id,
    description,
    expected: observations.map((o) => `${describeProbe(o.probe)}: ${o.probe.expect === 'allow' ? 'reachable' : 'blocked'}`).join('; '),
    observed: observations.map((o) => `${describeProbe(o.probe)}: ${o.reached ? 'reached' : 'not reached'} (${o.detail}; ${settling(o)})${o.verdict === 'inconclusive' ? ' [inconclusive]' : ''}`).join('; '),
    passed: observations.every((o) => o.verdict === 'pass'),
    evidence: observations.map((o) => o.evidence),
    probes: observations.map((o) => ({
      from: `${o.probe.from.namespace}/${o.probe.from.name}`,
      to: 'host' in o.probe.to ? o.probe.to.host : `${o.probe.to.workload.namespace}/${o.probe.to.workload.name}`,
      protocol: o.probe.protocol,
      ...(o.probe.port === undefined ? {} : { port: o.probe.port }),
      expect: o.probe.expect,
      reached: o.reached,
      verdict: o.verdict,
    })),
  };
}

function settling(o: ProbeObservation): string {
  const tries = `${o.attempts} ${o.attempts === 1 ? 'try' : 'tries'} in ${(o.durationMs / 1000).toFixed(1)} s`;
  return o.settledAfterMs === undefined ? tries : `blocked after ${(o.settledAfterMs / 1000).toFixed(1)} s, held; ${tries}`;
}
