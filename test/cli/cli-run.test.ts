import assert from 'node:assert/strict';
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { parse } from 'yaml';
import type { DemoResult } from '../../src/model/result.ts';
import { assertOneLineError, cli } from '../helpers/cli.ts';
import { useCliSandbox } from '../helpers/cli-sandbox.ts';

/**
 * The real CLI with its real activities against a real server and a real sandbox: the whole demo,
 * every check proven with evidence, the report written; status, list and teardown read it back.
 */
describe('udn-demo run, status, list against a real server', { timeout: 600_000 }, () => {
  const fx = useCliSandbox('udn-cli-');
  const { vars } = fx;

  it('run --sandbox --json: the whole talk on a real sandbox, every check of both scenarios passing with evidence, then exactly one JSON document, exit 0', async () => {
    const r = await cli(['run', '--sandbox', '--json', '--workflow-id', 'cli-json-run'], vars);
    assert.equal(r.exitCode, 0, r.stderr);
    const result = JSON.parse(r.stdout) as DemoResult;
    assert.equal(result.workflowId, 'cli-json-run');
    assert.equal(result.status, 'passed');
    assert.deepEqual(result.steps.slice(0, 6).map((s) => s.state), ['succeeded', 'succeeded', 'succeeded', 'succeeded', 'succeeded', 'succeeded']);
    assert.match(result.steps[1]!.outcome, /sandbox cluster ovn ready/);
    assert.match(result.steps[5]!.outcome, /webserver 203\.203\.0\.\d+ on ovn-worker, vm-a 203\.203\.0\.\d+ on ovn-worker2?, vm-b 203\.203\.0\.\d+ on ovn-worker2?/);
    assert.equal(result.failure, undefined);
    assert.equal(result.steps.length, 19 + 9, 'the first scenario, then the second (one preflight, cluster and report)');
    assert.ok(result.steps.every((s) => s.state === 'succeeded'));
    const states = Object.fromEntries(result.steps.map((s) => [s.id, s.state]));
    assert.equal(states['live-migration'], 'succeeded');
    assert.equal(states['apply-new-webserver'], 'succeeded');
    assert.equal(states['check-isolation'], 'succeeded');
    assert.notEqual(result.migration?.sourceNode, result.migration?.targetNode);
    assert.equal(result.migration?.ipAfter, result.migration?.ipBefore);
    assert.equal(result.migration?.survived, true);
    assert.ok(result.migration!.downtimeMs! > 0 && result.migration!.downtimeMs! <= 2000, `downtime ${result.migration?.downtimeMs}`);
    assert.ok(result.migration!.resolutionMs! <= 25, 'measured by the 10 ms ping (guest time ×0.25)');
    assert.ok(result.migration!.retransmits! > 0);
    assert.equal(result.migration!.captures.length, 2);
    const report = result.steps.find((s) => s.id === 'report')!.outcome.split(', ');
    assert.deepEqual(report.map((f) => f.split('/').at(-1)), ['report.md', 'report.html', 'result.json', 'junit.xml']);
    assert.match(await readFile(report[1]!, 'utf8'), /<svg[^>]*class="marks"/);
    assert.deepEqual(result.checks.map((c) => [c.id, c.passed]), [
      ['vm-network-config', true],
      ['east-west', true],
      ['egress', true],
      ['live-migration', true],
      ['isolation-blue-to-green', true],
      ['isolation-green-to-blue', true],
      ['netpol-baseline-9000', true],
      ['netpol-blocks-9000', true],
      ['netpol-allows-9001', true],
      ['cudn-happy-east-west', true],
      ['cudn-sad-east-west', true],
      ['cudn-isolation-happy-to-sad', true],
      ['cudn-isolation-sad-to-happy', true],
      ['service-cluster-ip', true],
      ['service-cluster-ip-isolated', true],
      ['service-node-port', true],
      ['service-load-balancer', true],
    ]);
    const check = (id: string) => result.checks.find((c) => c.id === id)!;
    assert.match(check('east-west').evidence[0]!, /^path: green\/vm-a on ovn-worker2? → green\/webserver on ovn-worker2?: .*\n\$ curl .* http:\/\/203\.203\.0\.\d+:9000\/hostname\nwebserver\nhttp_code=200\n\[exit 0\]/);
    assert.match(check('vm-network-config').observed, /^eth0 holds 203\.203\.0\.\d+\/16; default via 203\.203\.0\.1 dev eth0; mtu 1400$/);
    assert.match(check('vm-network-config').evidence[0]!, /^\$ ip -j addr show\n\[.*"mtu":1400/s);
    assert.match(check('egress').evidence[0]!, /^\$ ping .* www\.google\.com\nPING www\.google\.com .*\n3 packets transmitted, 3 received, 0% packet loss/s);
    assert.match(check('isolation-blue-to-green').evidence[0]!, /3 packets transmitted, 0 received, 100% packet loss/);
    assert.match(check('netpol-blocks-9000').evidence[0]!, /curl: \(28\) Connection timed out after \d+ milliseconds\n\[exit 28\]/);
    assert.match(check('netpol-blocks-9000').observed, /not reached .*blocked after [\d.]+ s, held/);
    assert.match(check('netpol-allows-9001').observed, /reached \(HTTP 200 "new-webserver"/);
    assert.match(check('service-cluster-ip').observed, /reached \(HTTP 200, \d+ bytes holding "Directory listing for \/"/);
    assert.match(check('service-load-balancer').evidence[0]!, /^on the sandbox's outside host .*\n\$ curl .* http:\/\/192\.168\.10\.\d+:9000\/\n[\s\S]*Directory listing for \//);
    assert.match(check('service-node-port').evidence[0]!, /\$ curl .* http:\/\/172\.18\.0\.\d+:3\d{4}\//);
    assert.match(check('service-cluster-ip-isolated').observed, /not reached \(no connection within the timeout/);
    assert.equal(result.services?.[0]?.ingressPool, 'dev-env-bgp');
    assert.equal(result.services?.[0]?.node?.name, 'ovn-worker', 'a NodePort is entered by a worker, as in the talk, not the control plane');
    assert.match(r.stderr, /✓ \[28\/28\] report/);
    assert.match(r.stderr, /Web UI: http:\/\/127\.0\.0\.1:8233\/namespaces\/default\/workflows\/cli-json-run/);
    assert.match(r.stderr, /✓ \[ 2\/28\] ensure-cluster/);
    assert.match(r.stderr, /✓ \[ 3\/28\] apply-green-network .* 2 objects: 2 created/);
    assert.match(r.stderr, /✓ \[ 8\/28\] check-east-west .* east-west passed/);
    assert.match(r.stderr, /✓ \[28\/28\] report/);
  });

  it('no secret enters workflow history: not the sandbox token or CA, not a password; only references', async () => {
    const kubeconfig = parse(await readFile(join(vars.UDN_DEMO_DATA_DIR!, 'sandbox', 'ovn', 'kubeconfig'), 'utf8')) as {
      users: { user: { token: string } }[];
      clusters: { cluster: { 'certificate-authority-data': string } }[];
    };
    const token = kubeconfig.users[0]!.user.token;
    const ca = kubeconfig.clusters[0]!.cluster['certificate-authority-data'];
    // Payloads are base64 in the history's JSON: search what they decode to, as well as the rest.
    const readable = (json: string): string => {
      const texts: string[] = [json];
      JSON.parse(json, (key, value: unknown) => {
        if (key === 'data' && typeof value === 'string') texts.push(Buffer.from(value, 'base64').toString('utf8'));
        return value;
      });
      return texts.join('\n');
    };
    const histories = await Promise.all(['cli-json-run', 'cli-json-run/live-migration'].map(async (id) => readable(historyToJSON(await fx.env.client.workflow.getHandle(id).fetchHistory()))));
    for (const h of histories) {
      assert.match(h, /green\/vm-b/, 'payloads decoded: a whole run is searched');
      assert.ok(!h.includes(token), 'the API token');
      assert.ok(!h.includes(ca.slice(0, 64)), 'the CA');
      assert.ok(!/PRIVATE KEY/.test(h), 'no key material');
      assert.ok(!/"password"\s*:/i.test(h), 'no password field');
    }
    assert.match(histories[0]!, /UDN_DEMO_GUEST_PASSWORD/, 'the guest password travels as the name of its variable');
    assert.match(histories[0]!, /sandbox\/ovn\/kubeconfig/, 'the kubeconfig travels as a path');
  });

  it('status and list read the same run back; a rerun of the id shows its result, starting nothing', async () => {
    const status = await cli(['status', 'cli-json-run', '--json'], vars);
    assert.equal(status.exitCode, 0);
    assert.equal((JSON.parse(status.stdout) as DemoResult).status, 'passed');
    const human = await cli(['status', 'cli-json-run'], vars);
    assert.match(human.stdout, /Run cli-json-run: PASSED/);
    assert.match(human.stdout, /Report: .*report\.md/);
    assert.match(human.stdout, /PASS netpol-blocks-9000/);
    const list = await cli(['list', '--json'], vars);
    assert.equal(list.exitCode, 0);
    assert.ok((JSON.parse(list.stdout) as { workflowId: string; state: string; demo: string }[]).some((w) => w.workflowId === 'cli-json-run' && w.state === 'COMPLETED' && w.demo === 'passed (checks 17/17)'));
    assert.match((await cli(['list'], vars)).stdout, /^WORKFLOW ID +TEMPORAL +DEMO +STARTED +ENDED\n(.*\n)*cli-json-run +COMPLETED +passed \(checks 17\/17\) /m);
    const again = await cli(['run', '--sandbox', '--workflow-id', 'cli-json-run'], vars);
    assert.equal(again.exitCode, 0);
    assert.match(again.stderr, /run cli-json-run has already ended/);
    const runs = [];
    for await (const wf of fx.env.client.workflow.list({ query: `WorkflowId = 'cli-json-run'` })) runs.push(wf.runId);
    assert.equal(runs.length, 1, 'no second run was started');
  });

  it('report writes the chosen formats where asked and prints their paths; a bad format is an input error', async () => {
    const out = join(vars.UDN_DEMO_DATA_DIR!, 'reports');
    const r = await cli(['report', 'cli-json-run', '--format', 'md,junit', '--out', out], vars);
    assert.equal(r.exitCode, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n'), [join(out, 'report.md'), join(out, 'junit.xml')]);
    assert.match(await readFile(join(out, 'report.md'), 'utf8'), /^# udn-demo run cli-json-run: PASSED/);
    assert.equal((await readFile(join(out, 'junit.xml'), 'utf8')).match(/<testcase /g)?.length, 17);
    const bad = await cli(['report', 'cli-json-run', '--format', 'pdf'], vars);
    assert.equal(bad.exitCode, 2);
    assert.match(assertOneLineError(bad), /--format must list md, html, json, junit; got "pdf"/);
  });

  it('without --sandbox on a machine without Docker: preflight fails in seconds, the engine named first, --sandbox suggested, exit 3, nothing created', async () => {
    // Only a docker client whose engine does not answer, as on this machine; no kind, no git.
    const bin = await mkdtemp(join(tmpdir(), 'udn-nodocker-'));
    await writeFile(join(bin, 'docker'), '#!/bin/sh\necho "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?" >&2\nexit 1\n', { mode: 0o755 });
    const started = Date.now();
    const r = await cli(['run', '--json', '--workflow-id', 'cli-no-docker'], { ...vars, PATH: bin });
    assert.equal(r.exitCode, 3, r.stderr);
    assert.ok(Date.now() - started < 60_000);
    const result = JSON.parse(r.stdout) as DemoResult;
    assert.equal(result.failure?.step, 'preflight');
    assert.equal(result.failure?.type, 'PreflightFailed');
    assert.match(result.failure!.message, /^missing for the kind cluster: docker engine \(.*no Docker engine answers.*\); kind \(not found.*; git \(not found.*; or run without Docker: udn-demo run --sandbox$/);
    assert.deepEqual(result.steps.slice(1).map((s) => s.state), result.steps.slice(1).map(() => 'pending'));
    await assert.rejects(stat(join(vars.UDN_DEMO_DATA_DIR!, 'kind')), 'no checkout, no kubeconfig: nothing created');
  });

  it('status of an unknown run is an input error', async () => {
    const r = await cli(['status', 'no-such-run'], vars);
    assert.equal(r.exitCode, 2);
    assert.match(assertOneLineError(r), /^udn-demo: no run with workflow id "no-such-run" in namespace default$/);
  });

  it("teardown removes both scenarios' namespaces and the CUDNs, then with --cluster the sandbox; repeating it removes nothing more", async () => {
    const first = await cli(['teardown', '--sandbox', '--json'], vars);
    assert.equal(first.exitCode, 0, first.stderr);
    assert.deepEqual(JSON.parse(first.stdout), {
      provider: 'sandbox',
      cluster: 'ovn',
      removed: [
        ...['green', 'blue', 'red-namespace', 'blue-namespace', 'green-namespace', 'yellow-namespace'].map((ns) => `namespace ${ns}`),
        'ClusterUserDefinedNetwork/sad-tenant',
        'ClusterUserDefinedNetwork/happy-tenant',
      ],
    });
    const cluster = await cli(['teardown', '--sandbox', '--cluster', '--json'], vars);
    assert.equal(cluster.exitCode, 0, cluster.stderr);
    assert.deepEqual(JSON.parse(cluster.stdout).removed.at(-1), 'sandbox ovn (its processes and data)');
    const again = await cli(['teardown', '--sandbox', '--cluster'], vars);
    assert.equal(again.exitCode, 0);
    assert.match(again.stderr, /no sandbox cluster "ovn" is running[\s\S]*teardown: nothing to remove/);
  });
});
