import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MockActivityEnvironment } from '@temporalio/testing';
import { Context } from '@temporalio/activity';
import { keepAlive } from '../../src/activities/heartbeat.ts';
import { onConsoleTail } from '../../src/activities/console-feed.ts';
import { inspectGuestNetwork } from '../../src/activities/guest-network.ts';
import { runProbes } from '../../src/activities/probes.ts';
import { discover } from '../../src/cluster/addresses.ts';
import { applyObjects } from '../../src/cluster/apply.ts';
import { kubeConfigFor } from '../../src/cluster/kube.ts';
import { renderBundle } from '../../src/cluster/manifests.ts';
import { waitUntilReady } from '../../src/cluster/wait.ts';
import { configSchema } from '../../src/config/schema.ts';
import type { ProbeRequest } from '../../src/model/activities.ts';
import type { ProbeObservation } from '../../src/model/probe.ts';
import type { ActivityHeartbeat } from '../../src/model/heartbeat.ts';
import type { ClusterRef } from '../../src/model/cluster.ts';
import type { Inventory, WorkloadRef } from '../../src/model/workload.ts';
import { sandboxDown, type SandboxStatus } from '../../src/sandbox/index.ts';
import { freshSandbox } from '../helpers/sandbox.ts';

/** Not the talk's: a password that reads like nothing else on the console, so finding it anywhere is a leak. */
const PASSWORD = 'Tr4nscr1pt-not-shown';
const scenario = configSchema.parse({}).scenario;
/** As instrument() runs every activity (less its input gate, which wants the kubeconfig in the data directory): its keep-alive beat carries the transcript. */
function keptAlive<A, R>(fn: (arg: A) => Promise<R>): (arg: A) => Promise<R> {
  return async (arg) => {
    const stop = keepAlive(Context.current());
    try {
      return await fn(arg);
    } finally {
      stop();
    }
  };
}

const green = (kind: WorkloadRef['kind'], name: string): WorkloadRef => ({ namespace: 'green', kind, name });

/**
 * What a probe from a VM heartbeats of its console, against the sandbox's emulated Fedora console
 * behind the real API server: the login without the password, each command behind its prompt,
 * and its output, within bounds.
 */
describe('the console transcript a probe heartbeats (sandbox)', { timeout: 180_000 }, () => {
  let s: SandboxStatus;
  let cluster: ClusterRef;
  let inventory: Inventory;
  before(async () => {
    s = await freshSandbox();
    cluster = { provider: 'sandbox', name: 't', kubeconfigPath: s.kubeconfigPath! };
    const kc = kubeConfigFor(cluster);
    const workloads = (await renderBundle('green-workloads', scenario)).map((o) => JSON.parse(JSON.stringify(o).replaceAll('password: fedora', `password: ${PASSWORD}`)));
    await applyObjects(kc, [...(await renderBundle('green-network', scenario)), ...workloads]);
    const targets = [green('Pod', 'webserver'), green('VirtualMachineInstance', 'vm-a'), green('VirtualMachineInstance', 'vm-b')];
    await waitUntilReady(kc, targets, 60_000, () => undefined);
    inventory = await discover(kc, targets);
  });
  after(async () => {
    if (s) await sandboxDown(s.dir);
  });

  it('has the login (never the password), each command behind its prompt and what it printed', async () => {
    const saved = process.env.UDN_DEMO_GUEST_PASSWORD;
    process.env.UDN_DEMO_GUEST_PASSWORD = PASSWORD;
    const beats: ActivityHeartbeat[] = [];
    const env = new MockActivityEnvironment({ attempt: 2 });
    env.on('heartbeat', (d: ActivityHeartbeat | undefined) => d && beats.push(d));
    const vmA = green('VirtualMachineInstance', 'vm-a');
    try {
      const req: ProbeRequest = {
        cluster,
        inventory,
        guest: scenario.guest,
        timing: { ...scenario.probes, consistentlySeconds: 1 },
        probes: [
          { from: vmA, to: { workload: green('VirtualMachineInstance', 'vm-b') }, protocol: 'icmp', expect: 'allow' },
          { from: vmA, to: { workload: green('Pod', 'webserver') }, protocol: 'http', port: 9000, path: '/hostname', expect: 'allow', body: 'webserver' },
        ],
      };
      const observations: ProbeObservation[] = await env.run(keptAlive(runProbes), req);
      assert.deepEqual(observations.map((o) => o.verdict), ['pass', 'pass'], JSON.stringify(observations.map((o) => o.detail)));
    } finally {
      if (saved === undefined) delete process.env.UDN_DEMO_GUEST_PASSWORD;
      else process.env.UDN_DEMO_GUEST_PASSWORD = saved;
    }

    const tail = beats.findLast((b) => b.console)?.console;
    assert.ok(tail, `no console in the heartbeats: ${JSON.stringify(beats).slice(0, 500)}`);
    assert.equal(tail.attempt, 2, 'the attempt that recorded it');
    const texts = tail.lines.map((l) => l.text);
    assert.ok(tail.lines.every((l) => l.vm === 'green/vm-a'));
    const vmB = inventory.find((w) => w.name === 'vm-b')!.udnIP;
    assert.deepEqual(texts.slice(0, 2), ['vm-a login: fedora', 'Password:'], texts.join('\n'));
    assert.ok(texts.includes(`[fedora@vm-a ~]$ ping -c 3 -i 0.2 -W 2 ${vmB}`), texts.join('\n'));
    assert.ok(texts.some((t) => t.startsWith(`64 bytes from ${vmB}`)), texts.join('\n'));
    assert.ok(texts.some((t) => /^\[fedora@vm-a ~\]\$ curl -sS .*\/hostname$/.test(t)), texts.join('\n'));
    assert.ok(texts.includes('webserver'), texts.join('\n'));
    // What only frames or sets up the session is not what a person at the console would see.
    assert.ok(!texts.some((t) => t.includes('__UDN') || t.includes('stty')), texts.join('\n'));
    assert.ok(!JSON.stringify(beats).includes(PASSWORD), 'the password is in a heartbeat');
    assert.ok(beats.every((b) => JSON.stringify(b).length < 8_000), 'heartbeats stay small');
  });

  it("has the network inspection too: `ip -j addr show` and `ip -j route show` behind vm-a's prompt (as a follower in this process sees it)", async () => {
    const texts: string[] = [];
    const stop = onConsoleTail(({ tail }) => texts.push(...tail.lines.map((l) => l.text).filter((t) => !texts.includes(t))));
    const env = new MockActivityEnvironment();
    const saved = process.env.UDN_DEMO_GUEST_PASSWORD;
    process.env.UDN_DEMO_GUEST_PASSWORD = PASSWORD;
    try {
      await env.run(keptAlive(inspectGuestNetwork), { cluster, guest: scenario.guest, timing: scenario.probes, vm: green('VirtualMachineInstance', 'vm-a') });
    } finally {
      stop();
      if (saved === undefined) delete process.env.UDN_DEMO_GUEST_PASSWORD;
      else process.env.UDN_DEMO_GUEST_PASSWORD = saved;
    }
    assert.ok(texts.includes('[fedora@vm-a ~]$ ip -j addr show'), texts.join('\n'));
    assert.ok(texts.includes('[fedora@vm-a ~]$ ip -j route show'), texts.join('\n'));
  });
});
