import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { configSchema } from '../../src/config/schema.ts';

interface Service {
  image: string;
  ports?: string[];
  healthcheck?: { test: unknown };
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
}

/** No Docker engine here: check what can be checked without one. */
describe('docker-compose.yml', async () => {
  const doc = parse(await readFile(new URL('../../docker-compose.yml', import.meta.url), 'utf8'), { merge: true }) as { services: Record<string, Service>; volumes: Record<string, unknown> };
  const services = doc.services;

  it('pins every image to an exact version', () => {
    for (const [name, s] of Object.entries(services)) assert.match(s.image, /^[\w./-]+:\d+\.\d+(\.\d+)?$/, `${name}: ${s.image}`);
  });

  it('runs the server on PostgreSQL with the Web UI and admin tools', () => {
    assert.match(services.temporal!.image, /^temporalio\/server:/);
    assert.match(services.postgresql!.image, /^postgres:/);
    assert.match(services['temporal-ui']!.image, /^temporalio\/ui:/);
    assert.match(services['temporal-admin-tools']!.image, /^temporalio\/admin-tools:/);
    assert.equal(services.temporal!.depends_on?.['temporal-schema']?.condition, 'service_completed_successfully');
  });

  it("publishes the ports udn-demo's defaults point at", () => {
    const defaults = configSchema.parse({}).temporal;
    assert.deepEqual(services.temporal!.ports, [`${defaults.address.split(':')[1]}:7233`]);
    assert.deepEqual(services['temporal-ui']!.ports, [`${new URL(defaults.webUiUrl).port}:8080`]);
  });

  it('has healthchecks and keeps the database in a named volume', () => {
    for (const name of ['postgresql', 'temporal', 'temporal-ui']) assert.ok(services[name]!.healthcheck, `${name} has a healthcheck`);
    assert.ok('temporal-postgres' in doc.volumes);
    assert.ok(services.postgresql!.volumes?.includes('temporal-postgres:/var/lib/postgresql/data'));
  });
});
