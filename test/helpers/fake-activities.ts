import { join } from 'node:path';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { paths } from '../../src/config/paths.ts';
import type { DemoActivities } from '../../src/model/activities.ts';
import { isOutside, type Probe } from '../../src/model/probe.ts';
import type { WorkloadRef } from '../../src/model/workload.ts';

/**
 * Stand-ins for the activity bodies, for workflow tests only: they answer the way the talk's
 * cluster answered (its addresses and nodes), so the workflow's data flow is exercised for real.
 */
export interface FakeBehaviour {
  /** Activity name → how many attempts fail (retryably) before one succeeds. */
  failFirst?: Partial<Record<keyof DemoActivities, number>>;
  /** Activity name → fails at once with a non-retryable error. */
  failHard?: keyof DemoActivities;
  /** Activity name → how many calls fail non-retryably (type NotReady) before one succeeds. */
  stuck?: Partial<Record<keyof DemoActivities, number>>;
  /** Activities whose bodies have "not landed yet". */
  notImplemented?: (keyof DemoActivities)[];
  /** Probes whose verdict comes back as a failure (by `from→to` key). */
  failingProbe?: (p: Probe) => boolean;
  /** Called when an activity starts, e.g. to hold it open while a test queries progress. */
  onCall?: (name: keyof DemoActivities) => Promise<void> | void;
  calls?: (keyof DemoActivities)[];
  /** The MTU the guest's eth0 reports (OVN-Kubernetes sets 1400). */
  guestMtu?: number;
  /** Another run holds the cluster: claimCluster fails, not retryably. */
  clusterBusy?: boolean;
  /** Every migrateVmi call's migration name, in order. */
  migrations?: string[];
}

const ADDRESSES: Record<string, { ip: string; node: string }> = {
  'green/webserver': { ip: '203.203.0.4', node: 'ovn-worker' },
  'green/vm-a': { ip: '203.203.0.5', node: 'ovn-worker2' },
  'green/vm-b': { ip: '203.203.0.6', node: 'ovn-worker' },
  'green/new-webserver': { ip: '203.203.0.8', node: 'ovn-worker' },
  'blue/vm-a': { ip: '192.168.0.5', node: 'ovn-worker2' },
  // The talk's cluster-wide VMs, where its README shows them.
  'red-namespace/red': { ip: '203.203.0.3', node: 'ovn-worker' },
  'blue-namespace/blue': { ip: '203.203.0.4', node: 'ovn-worker2' },
  'green-namespace/green': { ip: '208.208.0.3', node: 'ovn-worker' },
  'yellow-namespace/yellow': { ip: '208.208.0.4', node: 'ovn-worker2' },
};

/** `udn-demo tenants`' generated tenants: tenant-NN's workloads on 10.NN.0.0/16, as the talk's green. */
function tenantAddress(w: WorkloadRef): { ip: string; node: string } | undefined {
  const tenant = /^tenant-(\d+)$/.exec(w.namespace);
  const green = ADDRESSES[`green/${w.name}`];
  if (!tenant || !green) return undefined;
  return { ip: green.ip.replace(/^203\.203\./, `10.${Number(tenant[1])}.`), node: green.node };
}

export function fakeActivities(b: FakeBehaviour = {}): DemoActivities {
  const stuckLeft = new Map(Object.entries(b.stuck ?? {}));
  const enter = async (name: keyof DemoActivities) => {
    b.calls?.push(name);
    const left = stuckLeft.get(name) ?? 0;
    if (left > 0) {
      stuckLeft.set(name, left - 1);
      throw ApplicationFailure.nonRetryable(`${name}: green/vm-b not Ready (GuestNotRunning)`, 'NotReady');
    }
    await b.onCall?.(name);
    const { attempt } = Context.current().info;
    if (b.notImplemented?.includes(name)) throw ApplicationFailure.nonRetryable(`${name} is not implemented yet (arrives with issue [N/8])`, 'NotImplemented');
    if (b.failHard === name) throw ApplicationFailure.nonRetryable(`${name}: the cluster refused the request`, 'InvalidInput');
    const failures = b.failFirst?.[name] ?? 0;
    if (attempt <= failures) throw new Error(`${name}: transient failure on attempt ${attempt}`);
  };
  const where = (w: WorkloadRef) => {
    const a = ADDRESSES[`${w.namespace}/${w.name}`] ?? tenantAddress(w);
    if (!a) throw new Error(`fake cluster has no ${w.namespace}/${w.name}`);
    return a;
  };
  const pathOf = (from: WorkloadRef, to: WorkloadRef) => ({ fromNode: where(from).node, toNode: where(to).node, crossedNodes: where(from).node !== where(to).node });
  return {
    async preflight(req) {
      await enter('preflight');
      return { provider: req.provider, tools: [{ name: 'kubectl', found: true, version: 'v1.33.0' }] };
    },
    async ensureCluster(req) {
      await enter('ensureCluster');
      return { provider: req.provider, name: req.clusterName, kubeconfigPath: join(paths.dataDir, 'fake', `${req.clusterName}.kubeconfig`) };
    },
    async applyManifests(req) {
      await enter('applyManifests');
      return { bundle: req.bundle, objects: [{ apiVersion: 'v1', kind: 'Namespace', name: req.scenario.green.namespace, action: 'created' }] };
    },
    async waitReady(req) {
      await enter('waitReady');
      return { ready: req.targets.map((target) => ({ target, readyAt: new Date().toISOString() })), waitedMs: 1200 };
    },
    async discoverAddresses(req) {
      await enter('discoverAddresses');
      return req.workloads.map((w) => ({ ...w, node: where(w).node, udnIP: where(w).ip }));
    },
    async runProbes(req) {
      await enter('runProbes');
      return req.probes.map((probe) => {
        const failing = b.failingProbe?.(probe) ?? false;
        const reached = (probe.expect === 'allow') !== failing;
        return {
          probe,
          reached,
          detail: reached ? 'HTTP 200 "webserver"' : '100% packet loss',
          verdict: failing ? 'fail' : 'pass',
          startedAt: new Date().toISOString(),
          durationMs: 40,
          attempts: 1,
          evidence: reached ? 'webserver' : '35 packets transmitted, 0 received, 100% packet loss',
          ...('workload' in probe.to && !isOutside(probe.from) ? { path: pathOf(probe.from, probe.to.workload) } : {}),
        };
      });
    },
    async inspectGuestNetwork(req) {
      await enter('inspectGuestNetwork');
      const { ip } = where(req.vm);
      const net = ip.split('.').slice(0, 2).join('.');
      const addresses = [
        { ifindex: 1, ifname: 'lo', mtu: 65536, addr_info: [{ family: 'inet', local: '127.0.0.1', prefixlen: 8 }] },
        { ifindex: 2, ifname: 'eth0', mtu: b.guestMtu ?? 1400, addr_info: [{ family: 'inet', local: ip, prefixlen: 16 }] },
      ];
      const routes = [{ dst: 'default', gateway: `${net}.0.1`, dev: 'eth0' }, { dst: `${net}.0.0/16`, dev: 'eth0', prefsrc: ip }];
      return {
        addresses: { command: 'ip -j addr show', output: JSON.stringify(addresses), exitCode: 0 },
        routes: { command: 'ip -j route show', output: JSON.stringify(routes), exitCode: 0 },
      };
    },
    async discoverServices(req) {
      await enter('discoverServices');
      // What the talk's cluster gave webapp.
      return req.services.map((ref) => ({
        ...ref,
        type: 'LoadBalancer',
        port: 9000,
        clusterIP: '10.96.6.65',
        nodePort: 30600,
        node: { name: 'ovn-worker', address: '172.18.0.2' },
        ingressIP: '192.168.10.0',
        ingressPool: 'dev-env-bgp',
        endpoints: [{ pod: 'virt-launcher-red-abcde', address: '10.244.1.17', node: 'ovn-worker', ready: true }],
        missing: [],
      }));
    },
    async startGuestServer(req) {
      await enter('startGuestServer');
      return { pid: 1234, action: 'started', command: `python3 -m http.server --bind ${req.bindAddress} ${req.port}`, output: `Serving HTTP on ${req.bindAddress} port ${req.port} (http://${req.bindAddress}:${req.port}/) ...` };
    },
    async stopGuestServer(req) {
      await enter('stopGuestServer');
      return { action: 'stopped', command: `python3 -m http.server --bind ${req.bindAddress} ${req.port}`, output: '' };
    },
    async startTraffic(req) {
      await enter('startTraffic');
      return { experimentId: req.experimentId, server: req.server, client: req.client, serverAddress: req.serverAddress, port: req.port, startedAt: new Date().toISOString(), restarted: false };
    },
    async migrateVmi(req) {
      b.migrations?.push(req.migrationName);
      await enter('migrateVmi');
      const { ip, node } = where(req.vmi);
      return { migrationName: req.migrationName, sourceNode: node, targetNode: node === 'ovn-worker' ? 'ovn-worker2' : 'ovn-worker', startedAt: new Date().toISOString(), endedAt: new Date().toISOString(), addressBefore: ip, addressAfter: ip };
    },
    async collectTraffic() {
      await enter('collectTraffic');
      return {
        survived: true,
        downtimeMs: 120,
        resolutionMs: 10,
        retransmits: 212,
        throughputBeforeGbps: 2.8,
        throughputAfterGbps: 2.7,
        iperf3: { survived: true, downtimeMs: 200, resolutionMs: 100, error: null },
        ping: { survived: true, downtimeMs: 120, resolutionMs: 10, error: null },
        restarted: false,
        rawFiles: ['/tmp/fake/iperf3.json'],
        summary: 'longest gap 120 ms at 10 ms resolution',
      };
    },
    async writeReport() {
      await enter('writeReport');
      return { files: ['/tmp/fake/report.md'] };
    },
    async claimCluster() {
      await enter('claimCluster');
      if (b.clusterBusy) throw ApplicationFailure.nonRetryable('the cluster is in use by run other-run (since 2026-12-02T10:00:00.000Z)', 'ClusterBusy');
      return { outcome: 'claimed' };
    },
    async releaseCluster() {
      await enter('releaseCluster');
      return true;
    },
    async cleanupRun(req) {
      await enter('cleanupRun');
      return { removed: [...(req.cluster && !req.removeCluster ? req.namespaces.map((ns) => `namespace ${ns}`) : []), ...(req.removeCluster ? [`sandbox cluster ${req.clusterName}`] : [])] };
    },
  };
}
