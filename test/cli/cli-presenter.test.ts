import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { DemoResult } from '../../src/model/result.ts';
import { sandboxDown } from '../../src/sandbox/index.ts';
import { NAMESPACE_ISOLATION } from '../../src/scenarios/namespace-isolation.ts';
import { assertOneLineError, cli, spawnCli } from '../helpers/cli.ts';
import { startTestServer } from '../helpers/temporal-env.ts';
import { continueUpdate } from '../../src/workflows/presenter.ts';

const ID = 'cli-presented';

/**
 * Presenter mode through the real CLI on a real sandbox: a detached presented run, a worker, a
 * following terminal that shows each step before it runs, and `udn-demo next` moving it on.
 */
describe('udn-demo run --presenter and udn-demo next', { timeout: 600_000 }, () => {
  let env: TestWorkflowEnvironment;
  let vars: Record<string, string>;
  let config: string;
  before(async () => {
    env = await startTestServer();
    const dir = await mkdtemp(join(tmpdir(), 'udn-presenter-'));
    vars = { TEMPORAL_ADDRESS: env.address, UDN_DEMO_DATA_DIR: dir };
    config = join(dir, 'config.yaml');
    await writeFile(config, 'sandbox: { profile: instant }\nscenario: { probes: { consistentlySeconds: 1 }, migration: { tailSeconds: 3 } }\n');
  });
  after(async () => {
    if (vars) {
      await sandboxDown(join(vars.UDN_DEMO_DATA_DIR!, 'sandbox', 'ovn'));
      await rm(vars.UDN_DEMO_DATA_DIR!, { recursive: true, force: true });
    }
    await env?.teardown();
  });

  /** `status --json`'s presenter field, once the worker has the run. */
  async function presenterField(): Promise<DemoResult['presenter']> {
    for (let i = 0; i < 60; i++) {
      const r = await cli(['status', ID, '--json'], vars);
      const p = JSON.parse(r.stdout || '{}') as DemoResult;
      if (p.presenter !== undefined) return p.presenter;
      await sleep(250);
    }
    throw new Error('status never showed the presenter field');
  }

  async function waitingBefore(step: string): Promise<void> {
    for (let i = 0; i < 240; i++) {
      if ((await presenterField())?.waitingBefore === step) return;
      await sleep(250);
    }
    throw new Error(`the run never waited before ${step}`);
  }

  it("shows the guest consoles as the probes use them (the run's worker in the presenting process): each command and what it printed, never the password", async () => {
    const id = 'cli-presented-consoles';
    // The presenting terminal as in the talk: `run --presenter`, its worker in the same process.
    const presenting = spawnCli(['run', '--sandbox', '--presenter', '--scenario', 'namespace-isolation', '-c', config, '--workflow-id', id], vars, new RegExp(`started ${id}`));
    await presenting.ready;
    const handle = env.client.workflow.getHandle(id);
    for (const step of NAMESPACE_ISOLATION.steps.map((s) => s.id)) {
      while (!presenting.stderr().includes(`⏸ waiting before ${step}:`)) await sleep(100);
      await handle.executeUpdate(continueUpdate, { args: [{ step }] });
    }
    const r = await presenting.child;
    const out = presenting.stderr();
    assert.equal(r.exitCode, 0, out);
    /** What the terminal showed between the wait before `step` and the line that ended it. */
    const during = (step: string) => {
      const [from, to] = [out.indexOf(`⏸ waiting before ${step}:`), out.search(new RegExp(`^✓ \\[ ?\\d+/\\d+\\] ${step} `, 'm'))];
      assert.ok(from >= 0 && to > from, `no wait before ${step}, or no end after it:\n${out}`);
      return out.slice(from, to);
    };
    assert.match(during('check-east-west'), /^ {2}│ green\/vm-a {2}\[fedora@vm-a ~\]\$ curl -sS --connect-timeout 2 .* http:\/\/203\.203\.\d+\.\d+:9000\/hostname\n {2}│ green\/vm-a {2}webserver$/m);
    assert.match(during('check-egress'), /^ {2}│ green\/vm-a {2}\[fedora@vm-a ~\]\$ ping -c 3 -i 0\.2 -W 2 www\.google\.com\n(.*\n)*? {2}│ green\/vm-a {2}3 packets transmitted, 3 received/m);
    assert.match(during('check-isolation'), /^ {2}│ blue\/vm-a {2}\[fedora@vm-a ~\]\$ ping /m);
    // A VM's first session meets the login prompt (blue's vm-a: nothing used its console before the probes): the user name is typed, the password is not shown.
    const consoleLines = out.split('\n').filter((l) => l.startsWith('  │ '));
    const login = consoleLines.indexOf('  │ blue/vm-a  vm-a login: fedora');
    assert.ok(login >= 0, consoleLines.join('\n'));
    // Sessions on other VMs run at the same time: the next line of this one's.
    assert.equal(consoleLines.slice(login + 1).find((l) => l.startsWith('  │ blue/vm-a  ')), '  │ blue/vm-a  Password:');
    // The talk's password is its user's name: past the login prompt and the shell prompts, it must not appear.
    assert.deepEqual(consoleLines.filter((l) => l.replaceAll('login: fedora', '').replaceAll('[fedora@', '').includes('fedora')), []);
    assert.ok(!out.includes('__UDN'), 'the markers that frame commands are never shown');
  });

  it('waits before the first step; `next` moves it to the second; a follower shows each step and its by-hand commands; the run passes', async () => {
    const started = await cli(['run', '--sandbox', '--presenter', '--detach', '--scenario', 'namespace-isolation', '-c', config, '--workflow-id', ID], vars);
    assert.equal(started.exitCode, 0, started.stderr);
    const worker = spawnCli(['worker'], vars, /worker: polling task queue udn-demo/);
    await worker.ready;
    try {
      await waitingBefore('preflight');
      const next = await cli(['next', ID], vars);
      assert.equal(next.exitCode, 0, next.stderr);
      assert.match(next.stderr, new RegExp(`^next: step preflight runs \\(run ${ID}\\)$`, 'm'));
      await waitingBefore('ensure-cluster');
      const wrong = await cli(['next', ID, '--step', 'check-egress'], vars);
      assert.equal(wrong.exitCode, 2);
      assert.equal(assertOneLineError(wrong), `udn-demo: run ${ID}: the run waits before step ensure-cluster, not check-egress`);

      // A second terminal follows the presented run (stdin is not a terminal: it says how to go on).
      const follower = spawnCli(['run', '--workflow-id', ID, '--no-worker', '-c', config, '--scenario', 'namespace-isolation'], vars, /attached to cli-presented/);
      await follower.ready;
      // The rest as the Web UI (or `temporal workflow update`) would: the update itself, straight to the server.
      const handle = env.client.workflow.getHandle(ID);
      for (const step of NAMESPACE_ISOLATION.steps.slice(1).map((s) => s.id)) {
        // As a presenter would: once the terminal has shown the step.
        while (!follower.stderr().includes(`⏸ waiting before ${step}:`)) await sleep(100);
        assert.deepEqual(await handle.executeUpdate(continueUpdate, { args: [{ step }] }), { step });
      }
      const r = await follower.child;
      assert.equal(r.exitCode, 0, follower.stderr());
      const out = follower.stderr();
      assert.match(out, /live-migration: A TCP session survives the live migration of vm-b\n +shows: .*\n(.*\n)*? +by hand:\n(.*\n)*? +\$ virtctl migrate -ngreen vm-b\n/);
      assert.match(out, new RegExp(`⏸ waiting before report: udn-demo next ${ID}`));
      assert.match(out, /apply-netpol: .*\n(.*\n)*? +manifests:\n(.*\n)*? +kind: NetworkPolicy/);
      assert.equal((JSON.parse((await cli(['status', ID, '--json'], vars)).stdout) as DemoResult).status, 'passed');
      assert.equal(await presenterField(), null, 'not waiting once the run has ended');
    } finally {
      worker.child.kill('SIGTERM');
      await worker.child;
    }
  });

  it('--presenter with --ordering fast is one line, exit 2', async () => {
    const r = await cli(['run', '--sandbox', '--presenter', '--ordering', 'fast'], vars);
    assert.equal(r.exitCode, 2);
    assert.equal(assertOneLineError(r), 'udn-demo: --presenter shows one step at a time: it takes the narrative ordering, not --ordering fast');
  });
});
