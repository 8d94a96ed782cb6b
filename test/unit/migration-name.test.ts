import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { migrationCheck } from '../../src/analysis/migration-check.ts';
import type { MigrationRecord, TrafficReport } from '../../src/model/activities.ts';
import { migrationName } from '../../src/workflows/migration-name.ts';

describe("a live migration's name and its place in the capture", () => {
  it('keeps the name runs always had when it fits', () => {
    assert.equal(migrationName('udn-demo-sandbox-20261202-live-migration'), 'udn-demo-sandbox-20261202-live-migration-migration');
  });

  it('two long workflow ids that share their first 63 characters still name two migrations, each a valid 63-character label', () => {
    const prefix = 'a-very-long-workflow-id-chosen-by-a-user-for-their-nightly-run-of-the-talk';
    const [a, b] = [`${prefix}-monday-live-migration`, `${prefix}-tuesday-live-migration`].map(migrationName);
    assert.notEqual(a, b);
    for (const name of [a!, b!]) {
      assert.ok(name.length <= 63, name);
      assert.match(name, /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
      assert.match(name, /-[0-9a-f]{8}-migration$/);
    }
  });

  it('the verdict refuses a migration that ended before the capture began: it proves nothing about this capture', () => {
    const migration: MigrationRecord = { migrationName: 'm', sourceNode: 'ovn-worker', targetNode: 'ovn-worker2', startedAt: '2026-12-02T10:00:00.000Z', endedAt: '2026-12-02T10:00:05.000Z', addressBefore: '203.203.0.5', addressAfter: '203.203.0.5' };
    const capture = { survived: true, downtimeMs: 100, resolutionMs: 10, error: null };
    const traffic: TrafficReport = { survived: true, downtimeMs: 100, resolutionMs: 10, retransmits: 3, throughputBeforeGbps: 2, throughputAfterGbps: 2, iperf3: capture, ping: capture, restarted: false, rawFiles: [], summary: 'TCP session survived' };
    const inside = migrationCheck('live-migration', 'd', migration, traffic, undefined, 2000, undefined, '2026-12-02T09:59:58.000Z');
    assert.equal(inside.passed, true, inside.observed);
    const stale = migrationCheck('live-migration', 'd', migration, traffic, undefined, 2000, undefined, '2026-12-02T10:01:00.000Z');
    assert.equal(stale.passed, false);
    assert.match(stale.observed, /^migration m ended 2026-12-02T10:00:05\.000Z, before the capture began at 2026-12-02T10:01:00\.000Z: not inside it; /);
  });
});
