import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TenantsResult } from '../../src/model/tenants.ts';
import type { ProbeObservation } from '../../src/model/probe.ts';
import { tenantsExitCode } from '../../src/cli/tenants/outcome.ts';

const base: TenantsResult = {
  workflowId: 'w',
  runId: 'r',
  status: 'passed',
  phase: 'done',
  tenants: [],
  isolation: { pairs: 2, settled: 2, passed: 2, failed: 0, inconclusive: 0, exceptions: [], omitted: 0, errors: [], concurrency: 16 },
  phases: { cluster: { startedAt: null, endedAt: null }, rollout: { startedAt: null, endedAt: null }, isolation: { startedAt: null, endedAt: null } },
};

describe('tenants exit codes', () => {
  it('0 passed, 1 refuted by evidence, 2 input the cluster refused, 3 nothing proven', () => {
    assert.equal(tenantsExitCode(base), 0);
    assert.equal(tenantsExitCode({ ...base, status: 'failed', isolation: { ...base.isolation, passed: 1, failed: 1 } }), 1);
    const eastWest = { verdict: 'fail' } as ProbeObservation;
    assert.equal(tenantsExitCode({ ...base, status: 'failed', tenants: [{ namespace: 'a', subnet: '10.1.0.0/16', state: 'failed', addresses: [], eastWest, startedAt: null, endedAt: null }] }), 1);
    assert.equal(tenantsExitCode({ ...base, status: 'failed', failure: 'no cluster: the API refused the object', failureType: 'InvalidInput' }), 2);
    assert.equal(tenantsExitCode({ ...base, status: 'failed', failure: 'no cluster: docker engine missing', failureType: 'PreflightFailed' }), 3);
    assert.equal(tenantsExitCode({ ...base, status: 'failed', isolation: { ...base.isolation, passed: 0, inconclusive: 2 } }), 3);
  });
});
