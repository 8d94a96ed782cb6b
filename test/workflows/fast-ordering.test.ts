import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { NAMESPACE_ISOLATION } from '../../src/scenarios/namespace-isolation.ts';
import { criticalPath, runAsGraph } from '../../src/workflows/step-graph.ts';
import { runDemoWithFakes, testInput } from '../helpers/demo-harness.ts';
import { useTestServer } from '../helpers/temporal-env.ts';

/** A run without `scenarios` (every test input here) is the first scenario's. */
const STEP_IDS = NAMESPACE_ISOLATION.steps.map((s) => s.id);
const CHECK_IDS = NAMESPACE_ISOLATION.steps.flatMap((s) => ('checks' in s ? s.checks.map((c) => c.id) : []));

const STEPS = NAMESPACE_ISOLATION.steps;
const STEP_NEEDS: Record<string, readonly string[]> = Object.fromEntries(STEPS.map((s) => [s.id, s.needs]));

describe('ordering: fast', { timeout: 120_000 }, () => {
  const server = useTestServer();

  it('starts every step once the steps it needs have ended, runs independent ones side by side, and passes', async () => {
    const { outcome } = await runDemoWithFakes(server.env, {
      input: testInput({ ordering: 'fast' }),
      // Long enough that overlap shows in the step times.
      behaviour: { onCall: (name) => (name === 'waitReady' || name === 'migrateVmi' ? sleep(400) : undefined) },
    });
    assert.ok(!(outcome instanceof Error), String(outcome));
    assert.equal(outcome.status, 'passed');
    assert.deepEqual(outcome.checks.map((c) => c.id), CHECK_IDS, "listed in the talk's order, whatever order they were decided in");
    const step = new Map(outcome.steps.map((s) => [s.id, s]));
    const at = (id: string, end: 'startedAt' | 'endedAt') => Date.parse(step.get(id)![end]!);
    for (const id of STEP_IDS) for (const need of STEP_NEEDS[id]!) assert.ok(at(need, 'endedAt') <= at(id, 'startedAt'), `${id} started before ${need} ended`);
    assert.ok(at('apply-blue', 'startedAt') < at('wait-green-ready', 'endedAt'), "blue's rollout during green's wait");
    assert.ok(at('wait-blue-ready', 'startedAt') < at('live-migration', 'endedAt'), "blue's wait during green's migration");
    assert.ok(at('check-egress', 'startedAt') < at('live-migration', 'endedAt'), 'checks during the migration');
  });

  it("the narrative ordering stays one step at a time, in the talk's order", async () => {
    const { outcome } = await runDemoWithFakes(server.env, { input: testInput({ ordering: 'narrative' }), behaviour: { onCall: (name) => (name === 'waitReady' ? sleep(100) : undefined) } });
    assert.ok(!(outcome instanceof Error), String(outcome));
    for (let i = 1; i < outcome.steps.length; i++) assert.ok(Date.parse(outcome.steps[i - 1]!.endedAt!) <= Date.parse(outcome.steps[i]!.startedAt!), outcome.steps[i]!.id);
  });
});

describe('the step graph', { timeout: 60_000 }, () => {
  it('names only steps, lists every step, and has no cycle', () => {
    assert.deepEqual(Object.keys(STEP_NEEDS).sort(), [...STEP_IDS].sort());
    const seen = new Set<string>();
    const visit = (id: string, path: string[]) => {
      assert.ok(!path.includes(id), `cycle: ${[...path, id].join(' → ')}`);
      for (const need of STEP_NEEDS[id]!) visit(need, [...path, id]);
      seen.add(id);
    };
    for (const id of STEP_IDS) visit(id, []);
    assert.equal(seen.size, STEP_IDS.length);
  });

  it('runAsGraph never starts a step before everything it needs has ended, whatever each step takes', async () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 30; round++) {
      const ended = new Set<string>();
      const violations: string[] = [];
      let running = 0;
      let overlap = 0;
      await runAsGraph(async (id) => {
        for (const need of STEP_NEEDS[id]!) if (!ended.has(need)) violations.push(`${id} before ${need}`);
        overlap = Math.max(overlap, ++running);
        await sleep(Math.floor(random() * 5));
        running--;
        ended.add(id);
      }, STEPS);
      assert.deepEqual(violations, [], `round ${round}`);
      assert.equal(ended.size, STEP_IDS.length);
      assert.ok(overlap > 1, 'independent steps ran side by side');
    }
  });

  it('the critical path is the longest chain of needs', () => {
    const ms = Object.fromEntries(STEP_IDS.map((id) => [id, 1]));
    ms['live-migration'] = 100;
    ms['wait-blue-ready'] = 50;
    ms['check-netpol-allows'] = 2;
    const path = criticalPath(STEPS, ms);
    assert.deepEqual(path.steps, ['preflight', 'ensure-cluster', 'apply-green-network', 'apply-green-workloads', 'wait-green-ready', 'discover-addresses', 'live-migration', 'apply-netpol', 'check-netpol-allows', 'report']);
    assert.equal(path.totalMs, 6 + 100 + 1 + 2 + 1);
    ms['wait-blue-ready'] = 200;
    assert.deepEqual(criticalPath(STEPS, ms).steps.slice(0, 5), ['preflight', 'ensure-cluster', 'apply-blue', 'wait-blue-ready', 'check-isolation']);
  });
});
