import assert from 'node:assert/strict';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import type { Plan } from '../../src/cli/plan/plan.ts';
import { configSchema } from '../../src/config/schema.ts';
import { freePort } from '../../src/host/free-port.ts';
import { SCENARIO_IDS, scenarioOf } from '../../src/scenarios/compose.ts';
import { assertOneLineError, cli } from '../helpers/cli.ts';

/** The section of the human plan about one step: from its heading to the next blank line. */
function section(text: string, id: string): string {
  const start = text.search(new RegExp(`^\\d+/\\d+ ${id}: `, 'm'));
  assert.ok(start >= 0, `no section for ${id}`);
  return text.slice(start).split('\n\n')[0]!;
}

/**
 * `plan` computes a run without running it: with Temporal's address on a port nobody listens on
 * and fresh data and cache directories, it prints every step and probe, and leaves both empty.
 */
describe('udn-demo plan (no server, no cluster)', { timeout: 300_000 }, () => {
  let env: Record<string, string>;
  let dirs: string[];
  let tealConfig: string;
  before(async () => {
    const [data, cache, configs] = await Promise.all(['udn-plan-data-', 'udn-plan-cache-', 'udn-plan-cfg-'].map((p) => mkdtemp(join(tmpdir(), p))));
    dirs = [data!, cache!];
    env = { TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}`, UDN_DEMO_DATA_DIR: data!, UDN_DEMO_CACHE_DIR: cache! };
    tealConfig = join(configs!, 'teal.yaml');
    await writeFile(tealConfig, 'scenario:\n  green: { namespace: teal, subnet: 10.1.0.0/16 }\n');
  });

  it("--json prints every step of run's default plan in order, every probe with its verdict and why, the apply steps' objects, and writes nothing", async () => {
    const r = await cli(['plan', '--json'], env);
    assert.equal(r.exitCode, 0, r.stderr);
    const plan = JSON.parse(r.stdout) as Plan;
    const table = scenarioOf(SCENARIO_IDS, configSchema.parse({}).scenario);
    assert.deepEqual(plan.scenarios, [...SCENARIO_IDS]);
    assert.deepEqual(plan.steps.map((s) => s.id), table.steps.map((s) => s.id));
    const probes = plan.steps.flatMap((s) => s.checks.flatMap((c) => c.probes));
    assert.equal(probes.length, table.steps.flatMap((s) => (s.checks ?? []).flatMap((c) => c.probes ?? [])).length);
    for (const p of probes) {
      assert.ok(p.expect === 'allow' || p.expect === 'deny', JSON.stringify(p));
      assert.ok(p.why && p.why.length > 0, JSON.stringify(p));
    }
    assert.deepEqual(plan.steps.find((s) => s.id === 'check-netpol-blocks')!.checks[0]!.probes.map((p) => p.expect), ['deny']);
    for (const step of plan.steps) {
      assert.ok(step.shows.length > 0 && step.byHand.length > 0, step.id);
      if (step.action.kind === 'apply') assert.ok(step.manifests && step.manifests.length > 0 && step.manifests.every((m) => m.kind && m.metadata?.name), `${step.id}: no objects`);
      else assert.equal(step.manifests, undefined, step.id);
    }
    const network = plan.steps.find((s) => s.id === 'apply-green-network')!;
    assert.deepEqual(network.manifests!.map((m) => `${m.kind}/${m.metadata!.name}`), ['Namespace/green', 'UserDefinedNetwork/namespace-scoped']);
    for (const dir of dirs) assert.deepEqual(await readdir(dir), [], `${dir} written to`);
  });

  it('prints readable sections: the manifests as YAML, the verdicts, and `virtctl migrate` at the live migration', async () => {
    const r = await cli(['plan', '--scenario', 'namespace-isolation', '--sandbox'], env);
    assert.equal(r.exitCode, 0, r.stderr);
    assert.match(section(r.stdout, 'live-migration'), /\$ virtctl migrate -ngreen vm-b$/m);
    assert.match(section(r.stdout, 'apply-green-network'), /^\s+kind: UserDefinedNetwork$/m);
    assert.match(section(r.stdout, 'check-isolation'), /deny +blue\/vm-a → green\/vm-b icmp\n\s+why: isolated: /);
    assert.doesNotMatch(r.stdout, /apply-cluster-networks/, 'only the scenario asked for');
  });

  it('a config that renames green changes the manifests and the by-hand commands', async () => {
    const [talk, teal] = await Promise.all([cli(['plan', '--json'], env), cli(['plan', '--json', '-c', tealConfig], env)]);
    assert.equal(teal.exitCode, 0, teal.stderr);
    const step = (r: typeof talk, id: string) => (JSON.parse(r.stdout) as Plan).steps.find((s) => s.id === id)!;
    assert.deepEqual(step(teal, 'apply-green-network').manifests!.map((m) => m.metadata!.namespace ?? m.metadata!.name), ['teal', 'teal']);
    assert.equal(step(talk, 'check-east-west').byHand.filter((c) => c.includes('-ngreen')).length, 2);
    assert.deepEqual(step(teal, 'check-east-west').byHand.filter((c) => c.includes('-ngreen')), []);
    assert.ok(step(teal, 'live-migration').byHand.includes('virtctl migrate -nteal vm-b'));
    // The talk's file would create namespace green: by hand, the rendered objects are applied instead.
    assert.deepEqual(step(talk, 'apply-green-network').byHand, ['kubectl apply -f manifests/ns-isolation/01-namespace-isolation-l2-persistent.yaml']);
    assert.match(step(teal, 'apply-green-network').byHand[0]!, /^udn-demo plan -c \S+teal\.yaml --json \| jq .*select\(\.id == "apply-green-network"\).* \| kubectl apply -f -$/);
    // blue's files are untouched by the rename: they are still applied as they are.
    assert.deepEqual(step(teal, 'apply-blue').byHand, step(talk, 'apply-blue').byHand);
  });

  it('a bad --scenario or a bad config is one line and exit 2', async () => {
    const bad = await cli(['plan', '--scenario', 'purple'], env);
    assert.equal(bad.exitCode, 2);
    assert.equal(assertOneLineError(bad), 'udn-demo: --scenario must be one of namespace-isolation, cluster-wide, all; got "purple"');
    const missing = await cli(['plan', '--json', '-c', '/nonexistent/udn.yaml'], env);
    assert.equal(missing.exitCode, 2);
    assert.equal(assertOneLineError(missing), 'udn-demo: config /nonexistent/udn.yaml: no such file');
    assert.equal(missing.stdout, '');
  });
});
