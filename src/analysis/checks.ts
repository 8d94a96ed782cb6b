import { sourceName, targetName, type Probe, type ProbeObservation } from '../model/probe.ts';
import type { CheckId, CheckResult } from '../model/result.ts';

/** `green/vm-a → green/webserver http:9000/hostname` */
export function describeProbe(p: Probe): string {
  const port = p.port === undefined ? '' : `:${p.port}`;
  return `${sourceName(p.from)} → ${targetName(p.to)} ${p.protocol}${port}${p.path ?? ''}`;
}

/** A check passes only when every probe it rests on gave a conclusive, matching verdict. */
export function checkFromObservations(id: CheckId, description: string, observations: readonly ProbeObservation[], group?: string): CheckResult {
  const grouped = group === undefined ? {} : { group };
  if (observations.length === 0) {
    return { id, ...grouped, description, expected: 'at least one probe', observed: 'no probe ran', passed: false, evidence: [] };
  }
  return {
    id,
    ...grouped,
    description,
    expected: observations.map((o) => `${describeProbe(o.probe)}: ${expectation(o.probe)}`).join('; '),
    observed: observations.map((o) => `${describeProbe(o.probe)}: ${o.reached ? 'reached' : 'not reached'} (${o.detail}; ${settling(o)})${where(o)}${o.verdict === 'inconclusive' ? ' [inconclusive]' : ''}`).join('; '),
    passed: observations.every((o) => o.verdict === 'pass'),
    evidence: observations.map((o) => (o.path ? `${describePath(o)}\n${o.evidence}` : o.evidence)),
    probes: observations.map((o) => ({
      from: sourceName(o.probe.from),
      to: targetName(o.probe.to),
      protocol: o.probe.protocol,
      ...(o.probe.port === undefined ? {} : { port: o.probe.port }),
      expect: o.probe.expect,
      ...(o.probe.why ? { why: o.probe.why } : {}),
      reached: o.reached,
      verdict: o.verdict,
    })),
  };
}

function expectation(p: Probe): string {
  const answer = p.body !== undefined ? `, answering ${JSON.stringify(p.body)}` : p.bodyContains !== undefined ? `, answering with ${JSON.stringify(p.bodyContains)}` : '';
  const verdict = p.expect === 'allow' ? `reachable${answer}` : 'blocked';
  return p.why ? `${verdict} (${p.why})` : verdict;
}

function where(o: ProbeObservation): string {
  return o.path ? `; ${o.path.fromNode} → ${o.path.toNode}${o.path.crossedNodes ? ', across nodes' : ', same node'}` : '';
}

/** `green/vm-a on ovn-worker2 → green/webserver on ovn-worker: across nodes (GENEVE tunnel)` */
export function describePath(o: ProbeObservation): string {
  const p = o.path!;
  const how = p.crossedNodes ? 'across nodes (GENEVE tunnel between them)' : 'within one node';
  return `path: ${sourceName(o.probe.from)} on ${p.fromNode} → ${targetName(o.probe.to)} on ${p.toNode}: ${how}`;
}

function settling(o: ProbeObservation): string {
  const tries = `${o.attempts} ${o.attempts === 1 ? 'try' : 'tries'} in ${(o.durationMs / 1000).toFixed(1)} s`;
  return o.settledAfterMs === undefined ? tries : `blocked after ${(o.settledAfterMs / 1000).toFixed(1)} s, held; ${tries}`;
}
