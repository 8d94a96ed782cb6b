import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { execa } from 'execa';
import { freePort } from '../../src/host/free-port.ts';
import { locateTemporalCli } from '../../src/client/temporal-binary.ts';
import type { DemoResult } from '../../src/model/result.ts';
import { sandboxDown } from '../../src/sandbox/index.ts';
import { installRuntime } from '../../src/worker.ts';
import type { CliResult } from '../helpers/cli.ts';
import { TEST_SDK_LOG } from '../helpers/temporal-env.ts';

/**
 * Transient faults at every step: `run --fail-activity` fails every activity's first attempt
 * (some more), and a whole run through the real CLI still passes, each retry visible where a
 * person looks: the result's attempts, the terminal's progress, the workflow history the Web UI
 * shows.
 */

/** How many first attempts each activity fails. Every activity is named: a retry at every step. */
const FAIL_FIRST: Record<string, number> = {
  // The one slow retry: its last backoff (4 s) outlasts the follow loop's pending-activity poll
  // (every 4th 500 ms tick), so the terminal's retry line for it cannot be missed.
  preflight: 5,
  ensureCluster: 1,
  applyManifests: 1,
  claimCluster: 1,
  waitReady: 1,
  discoverAddresses: 1,
  runProbes: 1,
  inspectGuestNetwork: 1,
  startTraffic: 1,
  migrateVmi: 2,
  collectTraffic: 1,
  writeReport: 2,
  releaseCluster: 1,
};

/** A step's attempts is the largest attempt of its activities: here, one more than the most failed. */
const EXPECTED_ATTEMPTS: Record<string, number> = {
  preflight: 6,
  'ensure-cluster': 2,
  'apply-green-network': 2,
  'apply-green-workloads': 2,
  'wait-green-ready': 2,
  'discover-addresses': 2,
  'check-vm-network-config': 2,
  'check-east-west': 2,
  'check-egress': 2,
  'live-migration': 3, // startTraffic 2, migrateVmi 3, collectTraffic 2
  'apply-blue': 2,
  'wait-blue-ready': 2,
  'check-isolation': 2,
  'check-netpol-baseline': 2,
  'apply-netpol': 2,
  'check-netpol-blocks': 2,
  'apply-new-webserver': 2,
  'check-netpol-allows': 2,
  report: 3,
};

const bin = fileURLToPath(new URL('../../bin/udn-demo.js', import.meta.url));

/** The real `udn-demo` executable, as helpers/cli.ts runs it, with room for a whole run's retries. */
async function cliRun(args: string[], env: Record<string, string>): Promise<CliResult> {
  const r = await execa(process.execPath, [bin, ...args], { env, reject: false, timeout: 300_000, stdin: 'ignore' });
  return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

const WORKFLOW_ID = 'transient-faults-run';
const CHILD_ID = `${WORKFLOW_ID}/live-migration`;

interface StartedActivity {
  type: string;
  attempt: number;
  lastFailure: { message: string; type: string | undefined } | undefined;
}

/** Each activity's ActivityTaskStarted (which Temporal writes once, for the attempt that ended it) with its type. */
function startedActivities(events: temporal.api.history.v1.IHistoryEvent[]): StartedActivity[] {
  const typeOf = new Map<string, string>();
  const out: StartedActivity[] = [];
  for (const e of events) {
    const scheduled = e.activityTaskScheduledEventAttributes;
    if (scheduled) typeOf.set(String(e.eventId), scheduled.activityType?.name ?? '?');
    const started = e.activityTaskStartedEventAttributes;
    if (started) {
      const f = started.lastFailure;
      out.push({
        type: typeOf.get(String(started.scheduledEventId)) ?? '?',
        attempt: started.attempt ?? 1,
        lastFailure: f ? { message: f.message ?? '', type: f.applicationFailureInfo?.type ?? undefined } : undefined,
      });
    }
  }
  return out;
}

describe('transient faults at every step: a sandbox run through the real CLI', { timeout: 600_000 }, () => {
  let env: TestWorkflowEnvironment;
  let uiPort: number;
  let dataDir: string;
  let r: CliResult;
  let result: DemoResult;
  let took: number;
  before(async () => {
    // A test server of our own with its Web UI on, so the UI's API can be read back.
    installRuntime(TEST_SDK_LOG);
    const { path } = await locateTemporalCli({ log: () => undefined });
    uiPort = await freePort();
    env = await TestWorkflowEnvironment.createLocal({ server: { executable: { type: 'existing-path', path }, ip: '127.0.0.1', uiPort } });
    dataDir = await mkdtemp(join(tmpdir(), 'udn-transient-'));
    await writeFile(
      join(dataDir, 'cfg.yaml'),
      [
        'sandbox: { profile: instant }',
        'retry: { initialIntervalSeconds: 0.25, maximumIntervalSeconds: 4, maximumAttempts: 10 }',
        // A regression fails the run at once rather than waiting for an operator.
        'operator: { decisionTimeoutSeconds: 0 }',
        // Shorter holds for the deny checks and the migration's tail: the run is about retries.
        'scenario: { probes: { consistentlySeconds: 1 }, migration: { tailSeconds: 3 } }',
        '',
      ].join('\n'),
    );
    const started = Date.now();
    const failActivities = Object.entries(FAIL_FIRST).flatMap(([name, n]) => ['--fail-activity', `${name}=${n}`]);
    r = await cliRun(['run', '--sandbox', '--scenario', 'namespace-isolation', '--config', join(dataDir, 'cfg.yaml'), '--json', '--workflow-id', WORKFLOW_ID, ...failActivities], { TEMPORAL_ADDRESS: env.address, UDN_DEMO_DATA_DIR: dataDir });
    took = Date.now() - started;
    result = JSON.parse(r.stdout || '{}') as DemoResult;
  });
  after(async () => {
    if (dataDir) await sandboxDown(join(dataDir, 'sandbox', 'ovn'));
    await env?.teardown();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('the run passes, exit 0, every step needing a retry: its attempts are one more than its most-failed activity', (t) => {
    t.diagnostic(`run took ${(took / 1000).toFixed(1)} s`);
    assert.equal(r.exitCode, 0, r.stderr);
    assert.equal(result.workflowId, WORKFLOW_ID);
    assert.equal(result.status, 'passed', r.stderr);
    assert.equal(result.failure, undefined);
    assert.ok(result.steps.every((s) => s.state === 'succeeded'), r.stderr);
    assert.ok(result.checks.length === 9 && result.checks.every((c) => c.passed));
    assert.deepEqual(Object.fromEntries(result.steps.map((s) => [s.id, s.attempts])), EXPECTED_ATTEMPTS);
    assert.ok(result.steps.every((s) => s.attempts >= 2));
  });

  it("the terminal shows each step's attempts, and the slow retry as it happens, with the fault's message", (t) => {
    for (const [i, s] of result.steps.entries()) {
      const line = new RegExp(`✓ \\[\\s*${i + 1}/${result.steps.length}\\] ${s.id} \\([^)]*\\) \\[${EXPECTED_ATTEMPTS[s.id]} attempts\\]`);
      assert.match(r.stderr, line, `step line of ${s.id}`);
    }
    // Retries are seen from the server's pending activities, polled every few seconds: only
    // the slow one is certain to be caught; others show when a poll lands in their backoff.
    const retries = r.stderr.split('\n').filter((l) => l.includes('↻'));
    t.diagnostic(`retry lines seen: ${retries.length}\n${retries.join('\n')}`);
    assert.ok(
      retries.some((l) => /^ {2}↻ preflight attempt [2-6] after: emulated fault: preflight fails its first 5 attempt\(s\); this is attempt [1-5]$/.test(l)),
      `no retry line for preflight:\n${r.stderr}`,
    );
  });

  it('the workflow history (what the Web UI shows) has, for every activity type, a retried attempt and the EmulatedFault it retried after; nothing failed for good', async () => {
    const histories = await Promise.all([WORKFLOW_ID, CHILD_ID].map(async (id) => (await env.client.workflow.getHandle(id).fetchHistory()).events ?? []));
    const all = histories.flat();
    const started = startedActivities(histories[0]!).concat(startedActivities(histories[1]!));
    assert.deepEqual([...new Set(started.map((a) => a.type))].sort(), Object.keys(FAIL_FIRST).sort(), 'every activity type ran');
    for (const a of started) {
      const n = FAIL_FIRST[a.type]!;
      assert.equal(a.attempt, n + 1, `${a.type} ended on attempt ${n + 1}`);
      assert.equal(a.lastFailure?.type, 'EmulatedFault', a.type);
      assert.equal(a.lastFailure?.message, `emulated fault: ${a.type} fails its first ${n} attempt(s); this is attempt ${n}`);
    }
    assert.equal(all.filter((e) => e.activityTaskFailedEventAttributes || e.activityTaskTimedOutEventAttributes).length, 0, 'retries are not failures of the activity');
    assert.equal(all.filter((e) => e.activityTaskCompletedEventAttributes).length, started.length, 'every activity completed');
  });

  it("the Web UI's API serves the same history: a retried attempt and its EmulatedFault for every activity type", async () => {
    type UiEvent = { eventId: string; eventType: string; activityTaskScheduledEventAttributes?: { activityType: { name: string } }; activityTaskStartedEventAttributes?: { scheduledEventId: string; attempt: number; lastFailure?: { message: string; applicationFailureInfo?: { type: string } } } };
    const seen = new Map<string, string>();
    for (const id of [WORKFLOW_ID, CHILD_ID]) {
      const res = await fetch(`http://127.0.0.1:${uiPort}/api/v1/namespaces/default/workflows/${encodeURIComponent(id)}/history`);
      assert.equal(res.status, 200, id);
      const events = ((await res.json()) as { history: { events: UiEvent[] } }).history.events;
      const typeOf = new Map(events.filter((e) => e.activityTaskScheduledEventAttributes).map((e) => [e.eventId, e.activityTaskScheduledEventAttributes!.activityType.name]));
      for (const e of events) {
        const s = e.activityTaskStartedEventAttributes;
        if (!s || s.attempt < 2 || s.lastFailure?.applicationFailureInfo?.type !== 'EmulatedFault') continue;
        seen.set(typeOf.get(s.scheduledEventId)!, s.lastFailure.message);
      }
    }
    assert.deepEqual([...seen.keys()].sort(), Object.keys(FAIL_FIRST).sort());
    assert.match(seen.get('migrateVmi')!, /^emulated fault: migrateVmi fails its first 2 attempt\(s\); this is attempt 2$/);
  });
});
