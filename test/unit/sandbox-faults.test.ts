import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadFaults } from '../../src/sandbox/index.ts';

async function faultsFile(text: string): Promise<string> {
  const file = join(await mkdtemp(join(tmpdir(), 'udn-faults-')), 'faults.yaml');
  await writeFile(file, text);
  return file;
}

describe("the sandbox's network faults in the faults file", () => {
  it('reads each key in its YAML form', async () => {
    const f = await loadFaults(
      await faultsFile('tcpResetOnMigration: true\nipChangesOnMigration: true\nisolationLeak: true\nnetworkPolicyIgnored: true\negressBlocked: true\nwebserverHostname: imposter\nvmMtu: 1500\n'),
    );
    assert.deepEqual(
      [f.tcpResetOnMigration, f.ipChangesOnMigration, f.isolationLeak, f.networkPolicyIgnored, f.egressBlocked, f.webserverHostname, f.vmMtu],
      [true, true, true, true, true, 'imposter', 1500],
    );
  });

  it('reads the cluster-wide faults: cudnLeak and metallbNoAddress', async () => {
    const f = await loadFaults(await faultsFile('cudnLeak: true\nmetallbNoAddress: true\n'));
    assert.deepEqual([f.cudnLeak, f.metallbNoAddress], [true, true]);
    const healthy = await loadFaults(await faultsFile('{}\n'));
    assert.deepEqual([healthy.cudnLeak, healthy.metallbNoAddress], [false, false]);
  });

  it('leaves the network healthy when they are not given', async () => {
    const f = await loadFaults(await faultsFile('vmiNeverReady: [green/vm-b]\n'));
    assert.deepEqual([f.tcpResetOnMigration, f.ipChangesOnMigration, f.isolationLeak, f.networkPolicyIgnored, f.egressBlocked, f.webserverHostname, f.vmMtu], [false, false, false, false, false, undefined, undefined]);
  });

  for (const [text, problem] of [
    ['vmMtu: 20\n', /vmMtu/],
    ['vmMtu: 1400.5\n', /vmMtu/],
    ['webserverHostname: Not_A_Hostname\n', /webserverHostname: must be a hostname/],
    ['isolationLeak: yes please\n', /isolationLeak/],
    ['tcpResetOnMigrations: true\n', /tcpResetOnMigrations/],
  ] as const) {
    it(`refuses ${JSON.stringify(text.trim())}`, async () => {
      await assert.rejects(loadFaults(await faultsFile(text)), problem);
    });
  }
});
