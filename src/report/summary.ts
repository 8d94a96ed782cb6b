import type { MigrationSummary } from '../model/result.ts';

/** The migration's figures as label/value rows, shared by every format. */
export function migrationRows(m: MigrationSummary): [string, string][] {
  const ms = (x: number | null) => (x === null ? 'not measured' : `${x} ms`);
  const gbps = (x: number | null) => (x === null ? 'not measured' : `${x.toFixed(2)} Gbit/s`);
  const duration = (Date.parse(m.endedAt) - Date.parse(m.startedAt)) / 1000;
  return [
    ['VM', m.vmi],
    ['node', `${m.sourceNode} → ${m.targetNode}`],
    ['address', `${m.ipBefore} → ${m.ipAfter}${m.ipBefore === m.ipAfter ? ' (kept)' : ' (CHANGED)'}`],
    ['migration', `${m.startedAt} → ${m.endedAt} (${duration.toFixed(1)} s)`],
    ['TCP session', m.survived === null ? 'not measured' : m.survived ? 'survived' : 'broke'],
    ['longest outage', m.downtimeMs === null ? 'not measured' : `${ms(m.downtimeMs)} (resolution ${ms(m.resolutionMs)})`],
    ['retransmits', m.retransmits === null ? 'not measured' : String(m.retransmits)],
    ['throughput before → after', `${gbps(m.throughputBeforeGbps)} → ${gbps(m.throughputAfterGbps)}`],
  ];
}
