import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { convert } from 'xmlbuilder2';
import { analyzeText } from '../../src/analysis/analyze.ts';
import type { CheckResult, DemoResult } from '../../src/model/result.ts';
import { loadReportData } from '../../src/report/data.ts';
import { matrixRows, reachabilityMatrices } from '../../src/report/matrix.ts';
import { serviceTables } from '../../src/report/summary.ts';
import { writeReports } from '../../src/report/write.ts';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/captures/${name}`, import.meta.url));

function check(id: CheckResult['id'], passed: boolean, from: string, to: string, expect: 'allow' | 'deny', reached: boolean): CheckResult {
  return {
    id,
    description: `claim ${id}`,
    expected: `${from} → ${to}: ${expect === 'allow' ? 'reachable' : 'blocked'}`,
    observed: `${from} → ${to}: ${reached ? 'reached' : 'not reached'}`,
    passed,
    evidence: [`$ curl http://${to}\n[exit ${reached ? 0 : 28}]`],
    probes: [{ from, to, protocol: 'http', port: 9000, expect, reached, verdict: passed ? 'pass' : 'fail' }],
  };
}

async function result(): Promise<DemoResult> {
  // The real capture of a paused iperf3 server stands in for the migration: its pause is the outage.
  const iperf3 = analyzeText(await readFile(fixture('iperf3-pause-i0.1.json'), 'utf8'));
  const start = iperf3.startedAtMs! + 1500;
  return {
    workflowId: 'report-test',
    runId: 'r1',
    status: 'failed',
    steps: [{ id: 'preflight', title: 'p', state: 'succeeded', startedAt: new Date(start).toISOString(), endedAt: new Date(start).toISOString(), attempts: 1, outcome: '3/3 tools' }],
    checks: [
      check('east-west', true, 'green/vm-a', 'green/webserver', 'allow', true),
      check('netpol-baseline-9000', true, 'green/vm-a', 'green/webserver', 'allow', true),
      check('netpol-blocks-9000', false, 'green/vm-a', 'green/webserver', 'deny', true),
      { id: 'live-migration', description: 'TCP survives', expected: 'survived', observed: 'survived', passed: true, evidence: ['summary'] },
    ],
    migration: {
      vmi: 'green/vm-b', sourceNode: 'ovn-worker', targetNode: 'ovn-worker2', ipBefore: '203.203.0.5', ipAfter: '203.203.0.5',
      startedAt: new Date(start).toISOString(), endedAt: new Date(start + 2500).toISOString(),
      survived: true, downtimeMs: 1555, resolutionMs: 100, retransmits: 0, throughputBeforeGbps: 9.9, throughputAfterGbps: 9.8,
      captures: [fixture('iperf3-pause-i0.1.json'), join(tmpdir(), 'moved-away.log')],
    },
  };
}

describe('the run report', () => {
  it('per check group, the expected and the observed matrix side by side, mismatches marked', () => {
    const isolation = (id: string, from: string, to: string, reached: boolean) => ({ ...check(id, !reached, from, to, 'deny', reached), group: 'check-isolation' });
    const [east, iso] = reachabilityMatrices([check('east-west', true, 'a', 'b', 'allow', true), isolation('isolation-blue-to-green', 'blue/vm-a', 'green/vm-b', true), isolation('isolation-green-to-blue', 'green/vm-a', 'blue/vm-a', false)]);
    assert.equal(east!.group, 'east-west');
    assert.deepEqual(iso!.checks, ['isolation-blue-to-green', 'isolation-green-to-blue']);
    assert.deepEqual(matrixRows(iso!), {
      header: ['from \\ to', 'expected: blue/vm-a http:9000', 'expected: green/vm-b http:9000', 'observed: blue/vm-a http:9000', 'observed: green/vm-b http:9000'],
      rows: [
        ['blue/vm-a', '·', 'deny', '·', '✗ reached'],
        ['green/vm-a', 'deny', '·', '✓ blocked', '·'],
      ],
    });
  });

  it("a Service's table: what the cluster gave it, and each probe that entered it by which address, with its verdict", () => {
    const webapp = {
      namespace: 'red-namespace', name: 'webapp', type: 'LoadBalancer', port: 9000, clusterIP: '10.96.6.65', nodePort: 30600, node: { name: 'ovn-worker', address: '172.18.0.2' },
      ingressIP: '192.168.10.0', ingressPool: 'dev-env-bgp', endpoints: [{ pod: 'virt-launcher-red-x', address: '10.244.1.17', node: 'ovn-worker', ready: true }], missing: [],
    };
    const [t] = serviceTables([webapp], [
      check('service-cluster-ip', true, 'blue-namespace/blue', 'red-namespace/webapp via cluster-ip', 'allow', true),
      check('service-load-balancer', false, 'outside client', 'red-namespace/webapp via load-balancer', 'allow', false),
      check('east-west', true, 'green/vm-a', 'green/webserver', 'allow', true),
    ]);
    assert.deepEqual(t, {
      header: ['red-namespace/webapp', 'what', 'expected', 'observed'],
      rows: [
        ['addresses', 'type LoadBalancer; ClusterIP 10.96.6.65:9000; NodePort 172.18.0.2:30600 (ovn-worker); ingress 192.168.10.0:9000 (pool dev-env-bgp)', '', ''],
        ['endpoints', 'virt-launcher-red-x 10.244.1.17 on ovn-worker', '', ''],
        ['service-cluster-ip', 'blue-namespace/blue → 10.96.6.65:9000', 'allow', 'reached: pass'],
        ['service-load-balancer', 'outside client → 192.168.10.0:9000 (pool dev-env-bgp)', 'allow', 'not reached: fail'],
      ],
    });
  });

  it('writes Markdown, HTML, JSON and JUnit that agree with the result', async () => {
    const r = await result();
    const data = await loadReportData(r, new Date('2026-11-26T12:00:00Z'));
    assert.equal(data.traffic?.throughput.length, 60, 'the iperf3 capture, on the migration timeline');
    assert.ok(data.traffic!.outage!.end - data.traffic!.outage!.start > 1.3, 'the pause is the longest outage');
    assert.match(data.traffic!.problems.join(), /moved-away\.log: .*no such file|ENOENT/);
    const dir = await mkdtemp(join(tmpdir(), 'udn-report-'));
    const files = await writeReports(data, dir);
    assert.deepEqual(files.map((f) => f.slice(dir.length + 1)), ['report.md', 'report.html', 'result.json', 'junit.xml']);
    const [md, html, json, junit] = await Promise.all(files.map((f) => readFile(f, 'utf8')));

    assert.match(md!, /^# udn-demo run report-test: FAILED/);
    assert.match(md!, /\| ❌ \| \*\*netpol-blocks-9000\*\*/);
    assert.match(md!, /### netpol-blocks-9000 \(netpol-blocks-9000\)\n\n\| from \\ to \| expected: green\/webserver http:9000 \| observed: green\/webserver http:9000 \|\n\|---\|---\|---\|\n\| green\/vm-a \| deny \| ✗ reached \|/);
    assert.match(md!, /\| longest outage \| 1555 ms \(resolution 100 ms\) \|/);

    assert.match(html!, /<svg[^>]*class="marks"/);
    assert.match(html!, /longest outage/);
    // Opens offline: nothing is fetched (the SVG namespace URIs are names, not requests).
    assert.doesNotMatch(html!, /(src|href)="https?:/);
    assert.doesNotMatch(html!, /<script/);

    assert.deepEqual(JSON.parse(json!), r);

    const doc = convert(junit!, { format: 'object' }) as any;
    const cases = doc.testsuites.testsuite.testcase as any[];
    assert.equal(cases.length, 4);
    assert.deepEqual(cases.filter((c) => c.failure).map((c) => c['@name']), ['netpol-blocks-9000']);
    assert.equal(doc.testsuites['@failures'], '1');
  });
});
