import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { TenantsResult } from '../../src/model/tenants.ts';
import { sandboxDown } from '../../src/sandbox/index.ts';
import { cli } from '../helpers/cli.ts';
import { startTestServer } from '../helpers/temporal-env.ts';

/**
 * `udn-demo tenants` through the real CLI, its real activities, a real server (on ports of its
 * own) and a real sandbox (instant profile): N tenants rolled out by child workflows, every
 * ordered pair proven isolated. Bad flags and tenant lists are in bad-input.test.ts.
 */
describe('udn-demo tenants against a real server', { timeout: 600_000 }, () => {
  let env: TestWorkflowEnvironment;
  let vars: Record<string, string>;
  let config: string;
  before(async () => {
    env = await startTestServer();
    vars = { TEMPORAL_ADDRESS: env.address, UDN_DEMO_DATA_DIR: await mkdtemp(join(tmpdir(), 'udn-cli-tenants-')) };
    config = join(vars.UDN_DEMO_DATA_DIR!, 'instant.yaml');
    // The list is there to be overridden: --count wins over it.
    const list = ['tenants:', '  list: [{ namespace: solo, subnet: 10.200.0.0/16 }]'];
    await writeFile(config, ['sandbox: { profile: instant }', 'scenario:', '  probes: { consistentlySeconds: 1 }', ...list].join('\n'));
  });
  after(async () => {
    if (vars) await sandboxDown(join(vars.UDN_DEMO_DATA_DIR!, 'sandbox', 'ovn'));
    await env?.teardown();
  });

  it('--help lists it', async () => {
    assert.match((await cli(['--help'])).stdout, /\n {2}tenants /);
  });

  it('tenants --sandbox --count 3 --json (over a config list of 1): 3 tenants ready, 6 of 6 pairs isolated, one JSON document, exit 0; a child workflow per tenant', async () => {
    const r = await cli(['tenants', '--sandbox', '--count', '3', '--json', '--config', config, '--workflow-id', 'cli-tenants'], vars);
    assert.equal(r.exitCode, 0, r.stderr);
    const result = JSON.parse(r.stdout) as TenantsResult;
    assert.equal(result.workflowId, 'cli-tenants');
    assert.equal(result.status, 'passed');
    assert.deepEqual(result.tenants.map((t) => [t.namespace, t.subnet, t.state, t.eastWest?.verdict]), [
      ['tenant-01', '10.1.0.0/16', 'ready', 'pass'],
      ['tenant-02', '10.2.0.0/16', 'ready', 'pass'],
      ['tenant-03', '10.3.0.0/16', 'ready', 'pass'],
    ]);
    const { pairs, settled, passed, failed, inconclusive, exceptions, errors } = result.isolation;
    assert.deepEqual({ pairs, settled, passed, failed, inconclusive, exceptions, errors }, { pairs: 6, settled: 6, passed: 6, failed: 0, inconclusive: 0, exceptions: [], errors: [] });
    assert.match(result.isolation.sample!.evidence, /100% packet loss/);
    for (const p of Object.values(result.phases)) assert.ok(p.startedAt && p.endedAt && p.endedAt >= p.startedAt);
    const history = await env.client.workflow.getHandle('cli-tenants').fetchHistory();
    const children = (history.events ?? []).flatMap((e) => e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId ?? []);
    assert.deepEqual(children.filter((c) => c.includes('/tenant/')).sort(), ['cli-tenants/tenant/tenant-01', 'cli-tenants/tenant/tenant-02', 'cli-tenants/tenant/tenant-03']);
    assert.match(r.stderr, /started cli-tenants/);
    assert.match(r.stderr, /… rollout: tenants ready \d\/3/);
    assert.match(r.stderr, /… done: tenants ready 3\/3, isolation pairs settled 6\/6/);
    assert.match(r.stderr, /Web UI: http:\/\/127\.0\.0\.1:8233\/namespaces\/default\/workflows\/cli-tenants/);
  });

  it('the same id again prints the human summary of the ended run, starting nothing', async () => {
    const r = await cli(['tenants', '--sandbox', '--workflow-id', 'cli-tenants'], vars);
    assert.equal(r.exitCode, 0, r.stderr);
    assert.match(r.stderr, /run cli-tenants has already ended/);
    assert.match(r.stdout, /^\nTenants run cli-tenants: PASSED\n/);
    assert.match(r.stdout, /\nTenants ready: 3\/3; east\/west .* passed in 3\/3\n/);
    assert.match(r.stdout, /: 6 pairs, 6 passed, 0 failed, 0 inconclusive\n/);
    assert.match(r.stdout, /\nA passing pair, for example: tenant-0\d\/vm-a → tenant-0\d\/vm-b icmp: not reached .*\n {4}\$ ping /);
    assert.match(r.stdout, /\nPhases: cluster .*, rollout .*, isolation .*/);
    const runs = [];
    for await (const wf of env.client.workflow.list({ query: `WorkflowId = 'cli-tenants'` })) runs.push(wf.runId);
    assert.equal(runs.length, 1);
  });

  it('status and list know tenants runs: status renders its result with its exit code, list names its kind', async () => {
    const human = await cli(['status', 'cli-tenants'], vars);
    assert.equal(human.exitCode, 0, human.stderr);
    assert.match(human.stdout, /^Tenants run cli-tenants: PASSED\n/);
    const json = await cli(['status', 'cli-tenants', '--json'], vars);
    assert.equal((JSON.parse(json.stdout) as TenantsResult).isolation.passed, 6);
    const rows = JSON.parse((await cli(['list', '--json'], vars)).stdout) as { workflowId: string; kind: string; state: string }[];
    assert.deepEqual(rows.find((r) => r.workflowId === 'cli-tenants'), { ...rows.find((r) => r.workflowId === 'cli-tenants'), kind: 'tenants', state: 'COMPLETED' });
    assert.match((await cli(['list'], vars)).stdout, /\ncli-tenants +COMPLETED +tenants \(see status\) /);
  });

  it("teardown removes the tenants' namespaces too, which it reads from the runs on this cluster", async () => {
    const r = await cli(['teardown', '--sandbox', '--json', '--config', config], vars);
    assert.equal(r.exitCode, 0, r.stderr);
    const { removed } = JSON.parse(r.stdout) as { removed: string[] };
    for (const ns of ['tenant-01', 'tenant-02', 'tenant-03']) assert.ok(removed.includes(`namespace ${ns}`), `${ns} in ${removed.join(', ')}; ${r.stderr}`);
  });

  it('without a cluster (no Docker): the run fails with the reason as failure, exit 3', async () => {
    const bin = await mkdtemp(join(tmpdir(), 'udn-nodocker-'));
    await writeFile(join(bin, 'docker'), '#!/bin/sh\necho "Cannot connect to the Docker daemon" >&2\nexit 1\n', { mode: 0o755 });
    const r = await cli(['tenants', '--json', '--workflow-id', 'cli-tenants-no-docker'], { ...vars, PATH: bin });
    assert.equal(r.exitCode, 3, r.stderr);
    const result = JSON.parse(r.stdout) as TenantsResult;
    assert.equal(result.status, 'failed');
    assert.match(result.failure!, /^no cluster: missing for the kind cluster: docker engine/);
    assert.equal(result.failureType, 'PreflightFailed', 'a missing tool is the infrastructure (exit 3); InvalidInput would be exit 2');
    assert.deepEqual(result.tenants.map((t) => [t.namespace, t.state]), [['green', 'pending'], ['blue', 'pending']]);
  });
});
