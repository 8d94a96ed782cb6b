import assert from 'node:assert/strict';
import { access } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { BUNDLE_FILES } from '../../src/cluster/manifests.ts';
import { configSchema } from '../../src/config/schema.ts';
import { SCENARIO_IDS, scenarioOf } from '../../src/scenarios/compose.ts';
import { SCENARIOS } from '../../src/scenarios/index.ts';
import { NAMESPACE_ISOLATION } from '../../src/scenarios/namespace-isolation.ts';
import { namespaceIsolation } from '../../src/scenarios/namespace-isolation-config.ts';
import type { Scenario, StepDef } from '../../src/scenarios/types.ts';

const defaults = configSchema.parse({}).scenario;
const TABLES: readonly Scenario[] = SCENARIOS;
const byHandOf = (steps: readonly StepDef[], id: string) => steps.find((s) => s.id === id)!.byHand;

describe('what each step shows, and the commands to do it by hand', () => {
  it('every step of every scenario says in one sentence what it shows, and has at least one command', () => {
    for (const table of [...TABLES, scenarioOf(SCENARIO_IDS, defaults)]) {
      for (const step of table.steps) {
        assert.match(step.shows, /^[^\n]{20,}[.!]$/, `${table.id}/${step.id}: shows`);
        assert.ok(step.byHand.length > 0, `${table.id}/${step.id}: no by-hand command`);
        for (const command of step.byHand) assert.match(command, /^\S.*\S$/, `${table.id}/${step.id}: empty or padded command`);
      }
    }
  });

  it("with the default config the commands are the talk's own, as the table writes them", () => {
    const table: readonly StepDef[] = NAMESPACE_ISOLATION.steps;
    for (const step of namespaceIsolation(defaults).steps) assert.deepEqual(step.byHand, byHandOf(table, step.id), step.id);
    assert.ok(byHandOf(table, 'live-migration').includes('virtctl migrate -ngreen vm-b'));
  });

  it("an apply step's commands apply each of its bundle's files, and those files exist", async () => {
    for (const table of TABLES) {
      for (const step of table.steps) {
        if (step.run.kind !== 'apply') continue;
        for (const file of BUNDLE_FILES[step.run.bundle]) {
          assert.ok(step.byHand.includes(`kubectl apply -f manifests/${file}`), `${step.id}: no kubectl apply of ${file}`);
          await access(new URL(`../../manifests/${file}`, import.meta.url));
        }
      }
    }
  });

  it("a config's namespaces, ports, egress host and migration VMs are in the commands, the talk's are not", () => {
    const cfg = configSchema.parse({
      scenario: { green: { namespace: 'teal', subnet: '10.1.0.0/16' }, blue: { namespace: 'navy', subnet: '10.2.0.0/16' }, webserverPort: 8080, newWebserverPort: 8081, egressHost: 'example.org', migration: { vm: 'vm-a', client: 'vm-b', port: 7000 } },
    }).scenario;
    const steps: readonly StepDef[] = namespaceIsolation(cfg).steps;
    const all = steps.flatMap((s) => s.byHand);
    assert.deepEqual(all.filter((c) => /-n(green|blue)\b|\b(9000|9001|9500)\b|google/.test(c)), []);
    assert.ok(byHandOf(steps, 'check-east-west').includes("curl <webserver's UDN IP>:8080/hostname   # in teal/vm-a's console"));
    assert.ok(byHandOf(steps, 'check-netpol-allows').includes("curl <new-webserver's UDN IP>:8081/hostname   # in teal/vm-a's console"));
    assert.ok(byHandOf(steps, 'check-egress').includes("ping -c 2 example.org   # in teal/vm-a's console"));
    assert.ok(byHandOf(steps, 'check-isolation').includes('virtctl console -nnavy vm-a'));
    assert.deepEqual(byHandOf(steps, 'live-migration').slice(2, 6), ["iperf3 -s -p 7000 -1   # in teal/vm-a's console", 'virtctl console -nteal vm-b', "iperf3 -c <vm-a's UDN IP> -p7000 -t3600   # in teal/vm-b's console", 'virtctl migrate -nteal vm-a']);
  });
});
