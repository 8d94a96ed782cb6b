import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { KubeConfig } from '@kubernetes/client-node';
import { applyObjects } from '../../src/cluster/apply.ts';
import { ConsoleConnection } from '../../src/cluster/console/connection.ts';
import { ConsoleQueue } from '../../src/cluster/console/console-queue.ts';
import { withConsole, type ConsoleOptions } from '../../src/cluster/console/sessions.ts';
import { Transcript } from '../../src/cluster/console/transcript.ts';
import { kubeConfigFor } from '../../src/cluster/kube.ts';
import { renderBundle } from '../../src/cluster/manifests.ts';
import { waitUntilReady } from '../../src/cluster/wait.ts';
import { configSchema } from '../../src/config/schema.ts';
import type { WorkloadRef } from '../../src/model/workload.ts';
import { sandboxDown, type SandboxStatus } from '../../src/sandbox/index.ts';
import { freshSandbox } from '../helpers/sandbox.ts';

const scenario = configSchema.parse({}).scenario;
const vm = (name: string): WorkloadRef => ({ namespace: 'green', kind: 'VirtualMachineInstance', name });
const blueVm: WorkloadRef = { namespace: 'blue', kind: 'VirtualMachineInstance', name: 'vm-a' };
const good: ConsoleOptions = { credentials: { user: 'fedora', password: 'fedora' }, connectTimeoutMs: 5_000, loginTimeoutMs: 10_000, reconnects: 0 };

/**
 * The console client against the sandbox's console: the real API server's aggregation layer in
 * front of an emulated Fedora serial console (login, prompt, echo, exit codes).
 */
describe('guest exec over the serial console (sandbox)', { timeout: 180_000 }, () => {
  let s: SandboxStatus;
  let kc: KubeConfig;
  before(async () => {
    const faultsFile = join(await mkdtemp(join(tmpdir(), 'udn-faults-')), 'faults.yaml');
    // vm-b's first two console sessions are cut as their first command arrives; blue's vm-a's first one.
    await writeFile(faultsFile, 'consoleDrops:\n  - { vmi: green/vm-b, times: 2 }\n  - { vmi: blue/vm-a, times: 1 }\n');
    s = await freshSandbox({ profile: 'instant', scale: 1, faultsFile });
    kc = kubeConfigFor({ provider: 'sandbox', name: 't', kubeconfigPath: s.kubeconfigPath! });
    for (const b of ['green-network', 'green-workloads', 'blue'] as const) await applyObjects(kc, await renderBundle(b, scenario));
    await waitUntilReady(kc, [vm('vm-a'), vm('vm-b'), blueVm].map((w) => ({ kind: 'VirtualMachineInstance' as const, namespace: w.namespace, name: w.name })), 60_000, () => undefined);
  });
  after(async () => {
    if (s) await sandboxDown(s.dir);
  });

  it('logs in, runs argument vectors quoted safely, and returns output and exit status', async () => {
    const results = await withConsole(kc, vm('vm-a'), good, async (sh) => ({
      echo: await sh.exec(['echo', 'hello'], 5_000),
      quoted: await sh.exec(['printf', '%s|', 'a b', "it's", '$HOME', 'x;false'], 5_000),
      failing: await sh.exec(['false'], 5_000),
      missing: await sh.exec(['no-such-tool', '--flag'], 5_000),
      curl: await sh.exec(['curl', '-sS', '--connect-timeout', '2', 'http://203.203.0.99:9000/hostname'], 5_000),
    }));
    assert.deepEqual([results.echo.output, results.echo.exitCode], ['hello\n', 0]);
    // Each argument arrives whole: no word splitting, no expansion, no command injection.
    assert.deepEqual([results.quoted.output, results.quoted.exitCode], ["a b|it's|$HOME|x;false|", 0]);
    assert.equal(results.failing.exitCode, 1);
    assert.deepEqual([results.missing.output, results.missing.exitCode], ['bash: no-such-tool: command not found\n', 127]);
    assert.equal(results.curl.exitCode, 28);
    assert.match(results.curl.output, /^curl: \(28\) Connection timed out after \d+ milliseconds\n$/);
  });

  it('a second session finds the guest still logged in, as a serial console does', async () => {
    const first = await withConsole(kc, vm('vm-a'), good, (sh) => sh.exec(['whoami'], 5_000));
    const second = await withConsole(kc, vm('vm-a'), good, (sh) => sh.exec(['whoami'], 5_000));
    assert.equal(first.output, 'fedora\n');
    assert.equal(second.output, 'fedora\n');
  });

  it('a wrong password is "Login incorrect", not retried; the right one still works afterwards', async () => {
    // Log vm-a out first so the next session meets the login prompt.
    await withConsole(kc, vm('vm-a'), good, async (sh) => {
      await assert.rejects(sh.exec(['exit'], 2_000));
    }).catch(() => undefined);
    await assert.rejects(
      withConsole(kc, vm('vm-a'), { ...good, credentials: { user: 'fedora', password: 'wrong' } }, (sh) => sh.exec(['true'], 5_000)),
      (err: Error) => err.name === 'LoginIncorrect' && /Login incorrect for user "fedora"/.test(err.message),
    );
    const r = await withConsole(kc, vm('vm-a'), good, (sh) => sh.exec(['hostname'], 5_000));
    assert.equal(r.output, 'vm-a\n');
  });

  it('a dropped console: with no reconnects the work fails as ConsoleDropped; with reconnects it is reopened and repeated', async () => {
    await assert.rejects(
      withConsole(kc, vm('vm-b'), good, (sh) => sh.exec(['hostname'], 5_000)),
      (err: Error) => err.name === 'ConsoleDropped',
    );
    let runs = 0;
    const r = await withConsole(kc, vm('vm-b'), { ...good, reconnects: 2 }, (sh) => {
      runs++;
      return sh.exec(['hostname'], 5_000);
    });
    assert.equal(r.output, 'vm-b\n');
    assert.equal(runs, 2, 'the second (last) drop, then one clean session');
  });

  it('the console is exclusive: a busy console is waited for; this process takes turns per VM', async () => {
    const holder = await ConsoleConnection.open(kc, vm('vm-a'), 5_000);
    await assert.rejects(withConsole(kc, vm('vm-a'), { ...good, connectTimeoutMs: 600 }, (sh) => sh.exec(['true'], 5_000)), (err: Error) => err.name === 'ConsoleBusy');
    const waiting = withConsole(kc, vm('vm-a'), { ...good, connectTimeoutMs: 10_000 }, (sh) => sh.exec(['hostname'], 5_000));
    setTimeout(() => holder.close(), 500);
    assert.equal((await waiting).output, 'vm-a\n');
    const parallel = await Promise.all([1, 2, 3].map((i) => withConsole(kc, vm('vm-a'), good, (sh) => sh.exec(['echo', String(i)], 5_000))));
    assert.deepEqual(parallel.map((r) => r.output), ['1\n', '2\n', '3\n']);
  });

  it('a command that outlives its timeout is interrupted, and the console stays usable', async () => {
    const r = await withConsole(kc, vm('vm-a'), good, async (sh) => {
      await assert.rejects(sh.exec(['ping', '203.203.0.99'], 1_000), (err: Error) => err.name === 'ConsoleTimeout' && /no end of "ping 203\.203\.0\.99"/.test(err.message));
      return sh.exec(['echo', 'still here'], 5_000);
    });
    assert.equal(r.output, 'still here\n');
  });

  it('background commands keep running with output to a file, collected by a later session', async () => {
    await withConsole(kc, vm('vm-a'), good, (sh) => sh.startBackground(['ping', '-c', '2', '203.203.0.3'], '/tmp/ping.log', 5_000));
    const r = await withConsole(kc, vm('vm-a'), good, async (sh) => {
      for (;;) {
        const out = await sh.exec(['cat', '/tmp/ping.log'], 5_000);
        if (/packet loss/.test(out.output)) return out;
      }
    });
    assert.match(r.output, /^PING 203\.203\.0\.3 \(203\.203\.0\.3\) 56\(84\) bytes of data\.\n64 bytes from 203\.203\.0\.3: icmp_seq=1 ttl=64 time=/);
    assert.match(r.output, /2 packets transmitted, 2 received, 0% packet loss/);
  });

  it('work that comes due while a session is open shares it: one login a burst, commands in one line; a failing job fails alone; a dropped job runs again', async () => {
    const q = new ConsoleQueue(kc, good);
    const burst = await Promise.all(Array.from({ length: 12 }, (_, i) => q.run(vm('vm-a'), (sh) => sh.exec(['echo', String(i)], 5_000))));
    assert.deepEqual(burst.map((r) => r.output), Array.from({ length: 12 }, (_, i) => `${i}\n`));
    assert.equal(q.sessions, 1, 'twelve commands, one login');
    const [timedOut, after] = await Promise.allSettled([q.run(vm('vm-a'), (sh) => sh.exec(['ping', '203.203.0.99'], 1_000)), q.run(vm('vm-a'), (sh) => sh.exec(['echo', 'after'], 5_000))]);
    assert.equal(timedOut.status === 'rejected' && (timedOut.reason as Error).name, 'ConsoleTimeout');
    assert.equal(after.status === 'fulfilled' && after.value.output, 'after\n');
    assert.equal(q.sessions, 2, 'a burst after the queue ran dry logs in again');

    const seen: string[] = [];
    const shown = new ConsoleQueue(kc, { ...good, transcript: new Transcript((tail) => seen.splice(0, seen.length, ...tail.lines.map((l) => l.text))) });
    const commands = [['echo', 'a b'], ['cat', '/no/such/file'], ['printf', '%s', "it's"], ['ping', '203.203.0.99'], ['echo', 'after']];
    const timeouts = [5_000, 5_000, 5_000, 1_000, 5_000];
    const settled = await Promise.allSettled(commands.map((argv, i) => shown.exec(vm('vm-a'), argv, timeouts[i]!)));
    const outcome = settled.map((r) => (r.status === 'fulfilled' ? [r.value.output, r.value.exitCode] : (r.reason as Error).name));
    assert.deepEqual(outcome, [['a b\n', 0], ['cat: /no/such/file: No such file or directory\n', 1], ["it's", 0], 'ConsoleTimeout', 'ConsoleTimeout'], 'one line: each its own output and status; the timeout ends the line');
    assert.equal(shown.sessions, 1);
    assert.equal(seen.filter((l) => l.startsWith('[fedora@vm-a ~]$ ')).length, 4, `each command behind the prompt, not the line with its markers: ${seen.join(' | ')}`);
    assert.ok(!seen.some((l) => l.includes('__UDN')));
    assert.equal((await shown.exec(vm('vm-a'), ['echo', 'still here'], 5_000)).output, 'still here\n');

    const dropping = new ConsoleQueue(kc, { ...good, reconnects: 1 });
    const ran: number[] = [];
    const outputs = await Promise.all([1, 2, 3].map((i) => dropping.run(blueVm, (sh) => (ran.push(i), sh.exec(['echo', String(i)], 5_000)))));
    assert.deepEqual(outputs.map((r) => r.output), ['1\n', '2\n', '3\n']);
    assert.deepEqual(ran, [1, 1, 2, 3], 'the job the console dropped under runs again first, on the next session');
    assert.equal(dropping.sessions, 2);
  });
});
