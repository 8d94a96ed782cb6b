import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { CheckResult, DemoResult } from '../../src/model/result.ts';
import { sandboxDown } from '../../src/sandbox/index.ts';
import { SCENARIOS } from '../../src/scenarios/index.ts';
import { cli } from '../helpers/cli.ts';
import { startTestServer } from '../helpers/temporal-env.ts';

/**
 * Every verdict can fail for the right reason: for each sandbox fault, a fresh sandbox that has
 * it, a whole run through the real CLI, exit 1, exactly the checks the fault refutes failed, the
 * others passed, and evidence that says why.
 */
const FAULTS: { fault: string; fails: string[]; why: (c: CheckResult) => void; scenario?: 'cluster-wide' }[] = [
  { fault: 'tcpResetOnMigration: true', fails: ['live-migration'], why: (c) => assert.match(c.observed, /TCP session broke/) },
  {
    fault: 'ipChangesOnMigration: true',
    fails: ['live-migration'],
    why: (c) => {
      const [before, after] = /(\d+\.\d+\.\d+\.\d+) → (\d+\.\d+\.\d+\.\d+)$/.exec(c.observed)!.slice(1);
      assert.notEqual(before, after, c.observed);
    },
  },
  { fault: 'isolationLeak: true', fails: ['isolation-blue-to-green', 'isolation-green-to-blue'], why: (c) => assert.match(c.observed, /: reached \(\d+ sent, [1-9]\d* received/) },
  { fault: 'networkPolicyIgnored: true', fails: ['netpol-blocks-9000'], why: (c) => assert.match(c.observed, /: reached \(connected/) },
  { fault: 'egressBlocked: true', fails: ['egress'], why: (c) => assert.match(c.observed, /: not reached \(\d+ sent, 0 received, 100% packet loss/) },
  { fault: 'webserverHostname: impostor', fails: ['east-west'], why: (c) => assert.match(c.evidence.join('\n'), /impostor/) },
  { fault: 'vmMtu: 1500', fails: ['vm-network-config'], why: (c) => assert.match(c.observed, /mtu 1500$/) },
  { scenario: 'cluster-wide', fault: 'cudnLeak: true', fails: ['cudn-isolation-happy-to-sad', 'cudn-isolation-sad-to-happy'], why: (c) => assert.match(c.observed, /: reached \(\d+ sent, [1-9]\d* received/) },
  {
    scenario: 'cluster-wide',
    fault: 'metallbNoAddress: true',
    fails: ['service-load-balancer'],
    why: (c) => assert.match(c.observed, /not sent: red-namespace\/webapp has no load-balancer address: no ingress IP assigned within \d+ s/),
  },
];

/** The checks of one scenario's table, in its order. */
const checksOf = (id: string) => SCENARIOS.find((s) => s.id === id)!.steps.flatMap((s) => ('checks' in s ? s.checks.map((c) => c.id) : []));

describe('each sandbox fault fails its check, and only it, through the real CLI', { timeout: 1_800_000 }, () => {
  let env: TestWorkflowEnvironment;
  let dataDir: string;
  before(async () => {
    env = await startTestServer();
    dataDir = await mkdtemp(join(tmpdir(), 'udn-check-faults-'));
  });
  after(async () => {
    if (dataDir) {
      await sandboxDown(join(dataDir, 'sandbox', 'ovn'));
      await rm(dataDir, { recursive: true, force: true });
    }
    await env?.teardown();
  });

  for (const [i, f] of FAULTS.entries()) {
    it(`${f.fault} → ${f.fails.join(', ')} failed, every other check passed`, async () => {
      await sandboxDown(join(dataDir, 'sandbox', 'ovn'));
      const faults = join(dataDir, `faults-${i}.yaml`);
      const config = join(dataDir, `config-${i}.yaml`);
      await writeFile(faults, `${f.fault}\n`);
      await writeFile(
        config,
        [
          `sandbox: { profile: instant, faultsFile: ${JSON.stringify(faults)} }`,
          'operator: { decisionTimeoutSeconds: 0 }',
          'scenario: { probes: { consistentlySeconds: 1, eventuallySeconds: 8 }, migration: { tailSeconds: 2 } }',
          '',
        ].join('\n'),
      );
      const scenario = f.scenario ?? 'namespace-isolation';
      const r = await cli(['run', '--sandbox', '--scenario', scenario, '--config', config, '--json', '--workflow-id', `check-fault-${i}`], { TEMPORAL_ADDRESS: env.address, UDN_DEMO_DATA_DIR: dataDir });
      const result = JSON.parse(r.stdout || '{}') as DemoResult;
      assert.equal(r.exitCode, 1, `${r.stderr}\n${r.stdout.slice(0, 2000)}`);
      assert.deepEqual(result.checks.map((c) => c.id), checksOf(scenario), 'every check ran');
      assert.deepEqual(result.checks.filter((c) => !c.passed).map((c) => c.id), f.fails, result.checks.map((c) => `${c.id}: ${c.observed}`).join('\n'));
      for (const id of f.fails) f.why(result.checks.find((c) => c.id === id)!);
    });
  }
});
