import { serviceEntry } from '../analysis/services.ts';
import type { ServiceVia } from '../model/probe.ts';
import type { ServiceAddresses } from '../model/activities.ts';
import type { CheckResult, MigrationSummary } from '../model/result.ts';

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

/** Per Service: what the cluster gave it, and every probe that entered it with its verdict; shared by every format. */
export function serviceTables(services: readonly ServiceAddresses[], checks: readonly CheckResult[]): { header: string[]; rows: string[][] }[] {
  return services.map((s) => {
    const name = `${s.namespace}/${s.name}`;
    const at = (via: ServiceVia, note?: string) => {
      const e = serviceEntry(s, via, s.port);
      return e ? `${e.address}:${e.port}${note ? ` (${note})` : ''}` : 'none';
    };
    const entries: Record<string, string> = {
      'cluster-ip': at('cluster-ip'),
      'node-port': at('node-port', s.node?.name),
      'load-balancer': at('load-balancer', s.ingressPool && `pool ${s.ingressPool}`),
    };
    const endpoints = s.endpoints.map((e) => `${e.pod} ${e.address}${e.node ? ` on ${e.node}` : ''}${e.ready ? '' : ' (not ready)'}`).join(', ') || 'none';
    const rows: string[][] = [
      ['addresses', `type ${s.type}; ClusterIP ${entries['cluster-ip']}; NodePort ${entries['node-port']}; ingress ${entries['load-balancer']}`, '', ''],
      ['endpoints', endpoints, '', ''],
      ...(s.missing.length > 0 ? [['missing', s.missing.join('; '), '', '']] : []),
    ];
    for (const c of checks) {
      for (const p of c.probes ?? []) {
        const via = /^(.*) via (cluster-ip|node-port|load-balancer)$/.exec(p.to);
        if (via?.[1] !== name) continue;
        rows.push([c.id, `${p.from} → ${entries[via[2]!]}`, p.expect, `${p.reached ? 'reached' : 'not reached'}: ${p.verdict}`]);
      }
    }
    return { header: [name, 'what', 'expected', 'observed'], rows };
  });
}
