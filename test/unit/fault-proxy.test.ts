import assert from 'node:assert/strict';
import { describe as suite, it } from 'node:test';
import { describe } from '../../src/sandbox/fault-proxy.ts';

suite('fault proxy: naming REST calls as RBAC does', () => {
  const cases: [string, string, ReturnType<typeof describe>][] = [
    ['POST', '/apis/kubevirt.io/v1/namespaces/green/virtualmachineinstancemigrations', { verb: 'create', resource: 'virtualmachineinstancemigrations', namespace: 'green' }],
    ['GET', '/api/v1/namespaces/green/pods/webserver', { verb: 'get', resource: 'pods', namespace: 'green' }],
    ['GET', '/api/v1/pods?watch=true&resourceVersion=5', { verb: 'watch', resource: 'pods' }],
    ['GET', '/api/v1/namespaces', { verb: 'list', resource: 'namespaces' }],
    ['GET', '/api/v1/namespaces/green', { verb: 'get', resource: 'namespaces' }],
    ['PATCH', '/apis/k8s.ovn.org/v1/namespaces/green/userdefinednetworks/n/status', { verb: 'patch', resource: 'userdefinednetworks', namespace: 'green' }],
    ['DELETE', '/api/v1/namespaces/blue', { verb: 'delete', resource: 'namespaces' }],
  ];
  for (const [method, url, expected] of cases) {
    it(`${method} ${url}`, () => assert.deepEqual(describe({ method, url }), expected));
  }
});
