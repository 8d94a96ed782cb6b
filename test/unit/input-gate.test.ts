import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { checkActivityInput } from '../../src/activities/input-gate.ts';
import { instrument } from '../../src/activities/instrument.ts';
import { paths } from '../../src/config/paths.ts';
import { configSchema } from '../../src/config/schema.ts';
import { InputError } from '../../src/errors.ts';
import type { CleanupRequest, LeaseRequest, ProbeRequest } from '../../src/model/activities.ts';
import type { DemoResult } from '../../src/model/result.ts';
import { scenarioOf } from '../../src/scenarios/compose.ts';
import { expectedProbes } from '../../src/scenarios/expected-probes.ts';
import { demoInputFromConfig, ensureClusterRequest } from '../../src/workflows/demo-input.ts';

const config = configSchema.parse({ cluster: { provider: 'sandbox' } });
const input = demoInputFromConfig(config);
const cluster = { provider: 'sandbox' as const, name: 'ovn', kubeconfigPath: join(paths.dataDir, 'sandbox', 'ovn', 'kubeconfig') };

function refusal(activity: string, arg: unknown): string {
  try {
    checkActivityInput(activity, [arg]);
  } catch (err) {
    assert.ok(err instanceof InputError, String(err));
    return err.message;
  }
  assert.fail(`${activity} accepted ${JSON.stringify(arg)}`);
}

describe("the worker's input gate", () => {
  it("refuses a cluster name that would take sandbox teardown out of the data directory, and the body never runs", async () => {
    let ran = false;
    const acts = instrument({
      async cleanupRun(_req: CleanupRequest) {
        ran = true;
        return { removed: [] };
      },
    });
    const bad: CleanupRequest = { ...ensureClusterRequest(input), clusterName: '../../..', namespaces: [], removeCluster: true };
    await assert.rejects(new MockActivityEnvironment().run(acts.cleanupRun, bad), (err: unknown) => {
      assert.ok(err instanceof ApplicationFailure);
      assert.equal(err.type, 'InvalidInput');
      assert.equal(err.nonRetryable, true);
      assert.match(err.message, /^cleanupRun: refused input: clusterName: must be a DNS-1123 label/);
      return true;
    });
    assert.equal(ran, false, 'the cleanup ran on refused input');
  });

  it('refuses a kubeconfig outside the data directory', () => {
    assert.match(refusal('claimCluster', { cluster: { ...cluster, kubeconfigPath: '/etc/kubernetes/admin.conf' }, holder: 'x' } satisfies LeaseRequest), /cluster\.kubeconfigPath: must be a path inside the worker's data directory/);
    assert.match(refusal('claimCluster', { cluster: { ...cluster, kubeconfigPath: join(paths.dataDir, '..', 'elsewhere') }, holder: 'x' }), /kubeconfigPath/);
  });

  it("refuses a kind repository that is not https or an absolute path, and accepts both", () => {
    const kind = (repo: string) => ({ ...ensureClusterRequest({ ...input, provider: 'kind' }), kind: { ...config.cluster.kind, ovnKubernetesRepo: repo } });
    assert.match(refusal('ensureCluster', kind('git@evil.example:x/y.git')), /kind\.ovnKubernetesRepo: must be an https:\/\/ URL or an absolute path/);
    assert.match(refusal('ensureCluster', kind('http://evil.example/x.git')), /ovnKubernetesRepo/);
    assert.match(refusal('ensureCluster', kind('relative/clone')), /ovnKubernetesRepo/);
    checkActivityInput('ensureCluster', [kind('https://github.com/ovn-kubernetes/ovn-kubernetes.git')]);
    checkActivityInput('ensureCluster', [kind('/srv/mirrors/ovn-kubernetes')]);
  });

  it("refuses a password variable that is not ours, and anything a guest's shell would read as syntax", () => {
    const { scenario } = input;
    const probe = (over: Partial<ProbeRequest>): ProbeRequest => ({ cluster, inventory: [], probes: [], guest: scenario.guest, timing: scenario.probes, ...over });
    assert.match(refusal('runProbes', probe({ guest: { ...scenario.guest, passwordEnv: 'AWS_SECRET_ACCESS_KEY' } })), /guest\.passwordEnv: must be a variable of ours: UDN_DEMO_/);
    assert.match(refusal('runProbes', probe({ probes: [{ from: { namespace: 'green', kind: 'Pod', name: 'webserver' }, to: { host: 'example.com;reboot' }, protocol: 'http', expect: 'allow' }] })), /probes\.0\.to\.host: must be a host name/);
    assert.match(refusal('runProbes', probe({ probes: [{ from: { namespace: 'green', kind: 'Pod', name: 'webserver' }, to: { host: 'example.com' }, protocol: 'http', path: '/$(id)', expect: 'allow' }] })), /probes\.0\.path/);
    assert.match(refusal('applyManifests', { cluster, bundle: 'blue', scenario: { ...scenario, egressHost: '$(reboot)' } }), /scenario\.egressHost: must be a host name/);
    assert.match(refusal('startGuestServer', { cluster, vm: { namespace: 'red-namespace', kind: 'VirtualMachineInstance', name: 'red' }, bindAddress: '203.203.0.3', port: 9000, serverId: 'x; reboot', guest: scenario.guest, timing: scenario.probes }), /serverId: must be letters, digits and "-"/);
  });

  it("accepts what the workflows send: every scenario's probes, the cluster's reference and a run's result", () => {
    const scenario = scenarioOf(['namespace-isolation', 'cluster-wide'], input.scenario);
    const probes = scenario.steps.flatMap((step) => (step.checks ?? []).flatMap((c) => expectedProbes(scenario, step, c)));
    assert.ok(probes.length >= 15, `${probes.length} probes`);
    const inventory = [{ namespace: 'green', kind: 'VirtualMachineInstance' as const, name: 'vm-a', node: 'ovn-worker2', udnIP: '203.203.0.5' }];
    checkActivityInput('runProbes', [{ cluster, inventory, probes, guest: input.scenario.guest, timing: input.scenario.probes }]);
    checkActivityInput('cleanupRun', [{ ...ensureClusterRequest(input), cluster, namespaces: ['green', 'blue'], clusterNetworks: ['happy-tenant'], removeCluster: false, holder: 'udn-demo-sandbox-x' }]);
    const result = { workflowId: 'udn-demo-sandbox-20261202', migration: { vmi: 'green/vm-b' } } as unknown as DemoResult;
    checkActivityInput('writeReport', [{ result }]);
    assert.match(refusal('writeReport', { result: { ...result, workflowId: '..' } }), /result\.workflowId: must not be only dots/);
  });
});
