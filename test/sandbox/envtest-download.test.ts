import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { chmod, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { execa } from 'execa';
import { locateBinary } from '../../src/host/binaries.ts';
import { groupAlive } from '../../src/host/processes.ts';
import { ETCD, KUBE_APISERVER } from '../../src/sandbox/binaries.ts';
import { ENVTEST_VERSION } from '../../src/sandbox/envtest-download.ts';
import { sandboxDown, sandboxUp } from '../../src/sandbox/index.ts';
import { clientsFor, createObject, eventually } from '../helpers/sandbox.ts';

/**
 * A machine without Go: etcd and kube-apiserver come from an envtest archive (served here on
 * loopback in the layout of the real release), and the sandbox runs without kube-controller-manager.
 */
describe('sandbox binaries from the envtest archive, without Go', { timeout: 120_000 }, () => {
  let server: Server;
  let base: string;
  const requests: string[] = [];
  before(async () => {
    const root = await mkdtemp(join(tmpdir(), 'udn-envtest-'));
    const tree = join(root, 'tree', 'controller-tools', 'envtest');
    await mkdir(tree, { recursive: true });
    for (const spec of [ETCD, KUBE_APISERVER]) {
      const real = (await locateBinary(spec, { log: () => undefined })).path;
      await writeFile(join(tree, spec.name), `#!/bin/sh\nexec ${real} "$@"\n`);
      await chmod(join(tree, spec.name), 0o755);
    }
    const archive = join(root, 'envtest.tar.gz');
    await execa('tar', ['-czf', archive, '-C', join(root, 'tree'), 'controller-tools']);
    const bytes = await readFile(archive);
    server = createServer((req, res) => {
      requests.push(req.url ?? '');
      if (req.url === `/envtest-v${ENVTEST_VERSION}/envtest-v${ENVTEST_VERSION}-linux-amd64.tar.gz`) res.end(bytes);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  after(() => server?.close());

  it('downloads once, unpacks, starts the sandbox without kube-controller-manager, and pods still run', async () => {
    const binDir = await mkdtemp(join(tmpdir(), 'udn-bin-'));
    const dir = join(await mkdtemp(join(tmpdir(), 'udn-sandbox-')), 'ovn');
    const lines: string[] = [];
    const env = { PATH: '/usr/bin:/bin', UDN_DEMO_ENVTEST_BASE_URL: base };
    const s = await sandboxUp({ dir, binDir, env, emulation: { profile: 'instant', scale: 1 }, log: (l) => lines.push(l) });
    try {
      assert.equal(s.state, 'ready', lines.join('\n'));
      assert.ok(lines.some((l) => /etcd: downloading v3\.6\.6/.test(l)), lines.join('\n'));
      assert.ok(lines.some((l) => /kube-controller-manager: unavailable/.test(l)), lines.join('\n'));
      assert.equal(requests.length, 1, 'the archive is fetched once for both binaries');
      const c = clientsFor(s.kubeconfigPath!);
      await createObject(c, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'plain' } } as never);
      await createObject(c, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'plain' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } as never);
      await eventually('pod Running', () => c.core.readNamespacedPod({ name: 'p', namespace: 'plain' }), (p) => p.status?.phase === 'Running');
    } finally {
      await sandboxDown(dir);
    }
    assert.equal(groupAlive(s.pgid!), false);
  });
});
