import type { MigrationRecord, TrafficReport } from '../model/activities.ts';
import type { CheckResult, MigrationSummary } from '../model/result.ts';

/**
 * The live-migration claim: the TCP session survived with no outage above the limit, the VM
 * moved to another node, and it kept its address.
 */
export function migrationCheck(id: string, description: string, migration: MigrationRecord, traffic: TrafficReport | null, trafficSkipped: string | undefined, maxDowntimeMs: number, group?: string, captureStartedAt?: string): CheckResult {
  // A migration that ended before the capture began (an earlier one, found again) proves nothing about this capture.
  const stale = captureStartedAt !== undefined && Date.parse(migration.endedAt) <= Date.parse(captureStartedAt);
  const moved = migration.sourceNode !== migration.targetNode;
  const kept = migration.addressBefore === migration.addressAfter;
  const quick = traffic?.downtimeMs !== null && traffic?.downtimeMs !== undefined && traffic.downtimeMs <= maxDowntimeMs;
  const measured = traffic ? traffic.summary : `TCP session not measured: ${trafficSkipped}`;
  return {
    id,
    ...(group ? { group } : {}),
    description,
    expected: `connection survived; longest outage ≤ ${maxDowntimeMs} ms; VM on another node; same address`,
    observed: `${stale ? `migration ${migration.migrationName} ended ${migration.endedAt}, before the capture began at ${captureStartedAt}: not inside it; ` : ''}${measured}; ${migration.sourceNode} → ${migration.targetNode}; ${migration.addressBefore} → ${migration.addressAfter}`,
    passed: Boolean(traffic?.survived) && quick && moved && kept && !stale,
    evidence: traffic ? [traffic.summary, ...traffic.rawFiles] : [],
  };
}

/** The result's migration section. */
export function migrationSummary(vmi: string, migration: MigrationRecord, traffic: TrafficReport | null): MigrationSummary {
  return {
    vmi,
    sourceNode: migration.sourceNode,
    targetNode: migration.targetNode,
    ipBefore: migration.addressBefore,
    ipAfter: migration.addressAfter,
    startedAt: migration.startedAt,
    endedAt: migration.endedAt,
    survived: traffic?.survived ?? null,
    downtimeMs: traffic?.downtimeMs ?? null,
    resolutionMs: traffic?.resolutionMs ?? null,
    retransmits: traffic?.retransmits ?? null,
    throughputBeforeGbps: traffic?.throughputBeforeGbps ?? null,
    throughputAfterGbps: traffic?.throughputAfterGbps ?? null,
    captures: traffic?.rawFiles ?? [],
  };
}
