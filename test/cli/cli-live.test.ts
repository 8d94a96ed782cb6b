import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { execa } from 'execa';
import { shellQuote } from '../../src/cluster/console/quote.ts';
import { configSchema } from '../../src/config/schema.ts';
import { createWorker } from '../../src/worker.ts';
import { demoBundle, testInput } from '../helpers/demo-harness.ts';
import { fakeActivities } from '../helpers/fake-activities.ts';
import { startTestServer } from '../helpers/temporal-env.ts';

const bin = fileURLToPath(new URL('../../bin/udn-demo.js', import.meta.url));
/** Any SGR sequence: a colour, dim, bold. */
const COLOUR = /\x1b\[\d+(;\d+)*m/;

/**
 * `udn-demo run` on a terminal: a pseudo-terminal from util-linux's `script`, following a run
 * that a worker in this process executes with fake activities (each held a little, so steps are
 * seen running).
 */
describe('udn-demo run on a terminal: the live step list', { timeout: 300_000 }, () => {
  let env: TestWorkflowEnvironment;
  let vars: Record<string, string>;
  const taskQueue = `test-${randomUUID()}`;
  before(async () => {
    env = await startTestServer();
    vars = { TEMPORAL_ADDRESS: env.address, UDN_DEMO_DATA_DIR: await mkdtemp(join(tmpdir(), 'udn-live-')), UDN_DEMO_OFFLINE: '1', TERM: 'xterm-256color' };
  });
  after(async () => {
    if (vars) await rm(vars.UDN_DEMO_DATA_DIR!, { recursive: true, force: true });
    await env?.teardown();
  });

  /**
   * Starts a run of namespace-isolation on fake activities, held until the CLI, in a terminal, has
   * attached to it (its start takes seconds); resolves with what the terminal showed.
   */
  async function followInTerminal(extraEnv: Record<string, string>): Promise<{ exitCode: number; screen: string }> {
    let attached!: () => void;
    const gate = new Promise<void>((resolve) => (attached = resolve));
    const worker = await createWorker({
      connection: env.nativeConnection,
      temporal: { ...configSchema.parse({}).temporal, taskQueue, namespace: env.client.options.namespace },
      activities: fakeActivities({ onCall: () => gate.then(() => sleep(150)) }),
      workflowBundle: await demoBundle(),
    });
    return worker.runUntil(async () => {
      const workflowId = `test-live-${randomUUID()}`;
      await env.client.workflow.start('DemoWorkflow', { taskQueue, workflowId, args: [testInput({ scenarios: ['namespace-isolation'] })] });
      // `script` runs a command line in a new pseudo-terminal and copies what it shows to stdout.
      const command = shellQuote([process.execPath, bin, 'run', '--workflow-id', workflowId, '--no-worker']);
      const child = execa('script', ['-qfec', command, '/dev/null'], { env: { ...vars, ...extraEnv }, reject: false, stdin: 'ignore', timeout: 180_000 });
      let screen = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        screen += chunk.toString();
        if (screen.includes(`attached to ${workflowId}`)) attached();
      });
      const r = await child;
      attached();
      return { exitCode: r.exitCode ?? -1, screen };
    });
  }

  it('redraws the steps in place, in colour; the summary follows', async () => {
    const { exitCode, screen } = await followInTerminal({});
    assert.equal(exitCode, 0, screen);
    assert.match(screen, /\x1b\[2K/, 'lines erased to be redrawn');
    assert.match(screen, /\x1b\[\d*A/, 'the cursor moved up to redraw');
    assert.match(screen, /\x1b\[33m▶\x1b\[39m\x1b\[1m \[ ?\d+\/\d+\] \S+/, 'a running step, its mark in yellow');
    assert.match(screen, /\x1b\[32m✓\x1b\[39m \[ ?\d+\/\d+\] preflight/, 'a passed step, its mark in green');
    assert.match(screen, /Run test-live-\S+: PASSED/);
    assert.doesNotMatch(screen, /^▶ \[ ?\d+\/\d+\] \S+ title/m, 'no plain step lines');
  });

  it('NO_COLOR keeps the live list and takes the colour away', async () => {
    const { exitCode, screen } = await followInTerminal({ NO_COLOR: '1' });
    assert.equal(exitCode, 0, screen);
    assert.match(screen, /\x1b\[2K/, 'still redrawn in place');
    assert.match(screen, /▶ \[ ?\d+\/\d+\] \S+ \d+ s /, 'a running step with its time');
    assert.doesNotMatch(screen, COLOUR, 'no colour code');
  });
});
