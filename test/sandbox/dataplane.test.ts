import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeConfig } from '@kubernetes/client-node';
import { discover } from '../../src/cluster/addresses.ts';
import { applyObjects } from '../../src/cluster/apply.ts';
import { withConsole, type ConsoleOptions } from '../../src/cluster/console/sessions.ts';
import type { GuestShell } from '../../src/cluster/console/guest-shell.ts';
import { execInPod } from '../../src/cluster/exec/pod-exec.ts';
import { kubeConfigFor } from '../../src/cluster/kube.ts';
import { agnhostConnectCommand, interpretAgnhost } from '../../src/cluster/probes/commands.ts';
import { collectExperiment, startExperiment } from '../../src/cluster/traffic/experiment.ts';
import { experimentFiles } from '../../src/cluster/traffic/guest-files.ts';
import { analyzeText } from '../../src/analysis/analyze.ts';
import { migrate } from '../../src/cluster/migrate.ts';
import { renderBundle } from '../../src/cluster/manifests.ts';
import { waitUntilReady } from '../../src/cluster/wait.ts';
import { configSchema } from '../../src/config/schema.ts';
import type { WorkloadRef } from '../../src/model/workload.ts';
import { sandboxDown, type SandboxStatus } from '../../src/sandbox/index.ts';
import { freshSandbox } from '../helpers/sandbox.ts';

const scenario = configSchema.parse({}).scenario;
const vm = (name: string): WorkloadRef => ({ namespace: 'green', kind: 'VirtualMachineInstance', name });
const login: ConsoleOptions = { credentials: { user: 'fedora', password: 'fedora' }, connectTimeoutMs: 10_000, loginTimeoutMs: 10_000, reconnects: 1 };

interface IperfJson {
  intervals: { sum: { start: number; end: number; bytes: number; retransmits: number } }[];
  error?: string;
}

/**
 * The sandbox's data plane under the migration experiment, with realistic timings ×0.1 (a guest
 * second is 100 ms): iperf3 between the green VMs keeps its connection across vm-b's migration,
 * with a dip at the switchover, and breaks when its server goes away.
 */
describe('the sandbox data plane: iperf3 and ping across a live migration', { timeout: 240_000 }, () => {
  let s: SandboxStatus;
  let kc: KubeConfig;
  const on = <T>(name: string, work: (sh: GuestShell) => Promise<T>) => withConsole(kc, vm(name), login, work);
  const readJson = async (file: string): Promise<IperfJson> => {
    for (;;) {
      const out = await on('vm-a', (sh) => sh.exec(['cat', file], 10_000));
      // The JSON document is written when the client ends.
      if (out.output.trimEnd().endsWith('}')) return JSON.parse(out.output) as IperfJson;
      await new Promise((r) => setTimeout(r, 300));
    }
  };

  before(async () => {
    s = await freshSandbox({ profile: 'realistic', scale: 0.1 });
    kc = kubeConfigFor({ provider: 'sandbox', name: 't', kubeconfigPath: s.kubeconfigPath! });
    for (const b of ['green-network', 'green-workloads'] as const) await applyObjects(kc, await renderBundle(b, scenario));
    await waitUntilReady(
      kc,
      [...['vm-a', 'vm-b'].map((name) => ({ kind: 'VirtualMachineInstance' as const, namespace: 'green', name })), { kind: 'Pod' as const, namespace: 'green', name: 'webserver' }],
      120_000,
      () => undefined,
    );
  });
  after(async () => {
    if (s) await sandboxDown(s.dir);
  });

  it('the TCP session survives the migration of its server VM; the switchover shows as a dip, then retransmits', async () => {
    const vmB = await on('vm-b', (sh) => sh.exec(['ip', 'a'], 5_000));
    const serverIp = /inet (\d+\.\d+\.\d+\.\d+)\/16/.exec(vmB.output)![1]!;
    await on('vm-b', (sh) => sh.startBackground(['iperf3', '-s', '-p', '9500', '-1'], '/tmp/iperf3-server.log', 5_000));
    await on('vm-a', (sh) => sh.startBackground(['iperf3', '-c', serverIp, '-p', '9500', '-t', '60', '-i', '0.5', '--json'], '/tmp/iperf3.json', 5_000));
    await on('vm-a', (sh) => sh.startBackground(['sudo', 'ping', '-D', '-O', '-i', '0.05', '-c', '600', serverIp], '/tmp/ping.log', 5_000));
    const record = await migrate(kc, vm('vm-b'), 'dataplane-test', 60_000, () => undefined);
    assert.notEqual(record.sourceNode, record.targetNode);
    assert.equal(record.addressAfter, serverIp);

    const doc = await readJson('/tmp/iperf3.json');
    assert.equal(doc.error, undefined, 'the connection survived');
    assert.equal(doc.intervals.length, 120);
    const bytes = doc.intervals.map((i) => i.sum.bytes);
    const cut = bytes.findIndex((b) => b === 0);
    assert.ok(cut > 0, `a dip at the switchover: ${bytes.join(' ')}`);
    assert.ok(bytes.slice(cut).some((b) => b > 0), 'traffic resumes after it');
    assert.ok(bytes.at(-1)! > 0, 'and is flowing at the end');
    const resumed = bytes.findIndex((b, i) => i > cut && b > 0);
    assert.ok(doc.intervals[resumed]!.sum.retransmits > 0, 'what was in flight is retransmitted');

    const ping = await on('vm-a', async (sh) => {
      for (;;) {
        const out = await sh.exec(['cat', '/tmp/ping.log'], 10_000);
        if (/packet loss/.test(out.output)) return out.output;
      }
    });
    assert.match(ping, /^\[\d+\.\d{6}\] 64 bytes from /m);
    assert.match(ping, /^\[\d+\.\d{6}\] no answer yet for icmp_seq=\d+$/m, 'the switchover shows in the fast ping too');
    const [, sent, received] = /(\d+) packets transmitted, (\d+) received/.exec(ping)!;
    assert.equal(sent, '600');
    assert.ok(Number(received) < 600 && Number(received) > 500, `a short outage, not a broken path: ${received} of 600 answered`);
  });

  it('a connection whose server goes away breaks: iperf3 --json reports the error in the document and exits 0', async () => {
    const serverIp = (await on('vm-b', (sh) => sh.exec(['ip', 'a'], 5_000))).output.match(/inet (\d+\.\d+\.\d+\.\d+)\/16/)![1]!;
    await on('vm-b', (sh) => sh.startBackground(['iperf3', '-s', '-p', '9501', '-1'], '/tmp/iperf3-server2.log', 5_000));
    await on('vm-a', (sh) => sh.startBackground(['iperf3', '-c', serverIp, '-p', '9501', '-t', '60', '-i', '0.5', '--json'], '/tmp/iperf3-broken.json', 5_000));
    await new Promise((r) => setTimeout(r, 500));
    assert.equal((await on('vm-b', (sh) => sh.exec(['pkill', 'iperf3'], 5_000))).exitCode, 0);
    const doc = await readJson('/tmp/iperf3-broken.json');
    assert.equal(doc.error, 'control socket has closed unexpectedly');
    assert.ok(doc.intervals.length > 0 && doc.intervals.length < 120);
    // The background job's status, collected the way udn-demo collects it.
    const refused = await on('vm-a', (sh) => sh.exec(['iperf3', '-c', serverIp, '-p', '9501', '-t', '1'], 10_000));
    assert.equal(refused.exitCode, 1);
    assert.match(refused.output, /^iperf3: error - unable to connect to server - .*Connection refused$/m);
  });

  it('pod exec through the exec API: agnhost connect answers as in the netpol e2e; exit codes and runtime errors come back', async () => {
    const webserver: WorkloadRef = { namespace: 'green', kind: 'Pod', name: 'webserver' };
    const hostname = await execInPod(kc, webserver, undefined, ['hostname'], 10_000);
    assert.deepEqual(hostname, { stdout: 'webserver\n', stderr: '', exitCode: 0 });
    const [entry] = await discover(kc, [webserver]);
    const tries = await Promise.all(
      [[entry!.udnIP, 9000], [entry!.udnIP, 9999], ['203.203.0.99', 9000]].map(async ([address, port]) => {
        const argv = agnhostConnectCommand(String(address), Number(port), 1);
        const r = await execInPod(kc, webserver, 'agnhost', argv, 10_000);
        return interpretAgnhost(argv, r.stderr, r.exitCode);
      }),
    );
    assert.deepEqual(tries.map((t) => t.reached), [true, true, false]);
    assert.match(tries[0]!.evidence, /^\$ \/agnhost connect 203\.203\.0\.\d+:9000 --timeout=1s --protocol=tcp\n\[exit 0\]$/);
    assert.match(tries[1]!.detail, /connection refused/);
    assert.match(tries[2]!.evidence, /\nTIMEOUT\n\[exit 1\]$/);
    await assert.rejects(execInPod(kc, webserver, undefined, ['curl', 'x'], 10_000), /executable file not found in \$PATH/);
    await assert.rejects(execInPod(kc, webserver, 'nginx', ['hostname'], 10_000), /container nginx is not valid for pod webserver/);
  });

  it('the experiment is safe to repeat: a retry finds its traffic running; after its client ended it starts over, and says so', async () => {
    const serverAddress = /inet (\S+)\/16/.exec((await on('vm-b', (sh) => sh.exec(['ip', 'a'], 5_000))).output)![1]!;
    const t = { kc, experimentId: 'retry-test', server: vm('vm-b'), client: vm('vm-a'), serverAddress, port: 9600, console: login };
    const f = experimentFiles('retry-test');
    const pids = () =>
      Promise.all([on('vm-b', (sh) => sh.readFile(f.serverPid, 5_000)), on('vm-a', (sh) => sh.readFile(f.clientPid, 5_000)), on('vm-a', (sh) => sh.readFile(f.pingPid, 5_000))]);
    assert.deepEqual(await startExperiment(t, 100, () => undefined), { restarted: false, reused: false });
    const first = await pids();
    assert.ok(first.every((p) => p !== undefined));
    // A worker crash after the start: the retried activity finds everything running and starts nothing.
    assert.deepEqual(await startExperiment(t, 100, () => undefined), { restarted: false, reused: true });
    assert.deepEqual(await pids(), first);

    const captures = await collectExperiment(t, 30_000);
    const a = analyzeText(captures.iperf3, 'iperf3');
    assert.equal(a.survived, true, `stopped with SIGINT: a deliberate end, not a broken connection (${a.error})`);
    assert.match(captures.ping, /packets transmitted/);
    // Collecting again (a retried collect) reads the same finished captures.
    assert.equal((await collectExperiment(t, 30_000)).iperf3, captures.iperf3);

    // Its client has ended, so the one-off server is consumed: a new start begins again from scratch.
    assert.deepEqual(await startExperiment(t, 100, () => undefined), { restarted: true, reused: false });
    const again = await pids();
    assert.notEqual(again[1], first[1]);
    await collectExperiment(t, 30_000);
  });
});
