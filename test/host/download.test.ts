import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import { chmod, mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { execa } from 'execa';
import { TEMPORAL_CLI } from '../../src/client/temporal-binary.ts';
import { binaryCachePath, locateBinary, planBinary, type BinarySpec } from '../../src/host/binaries.ts';
import { releaseArch } from '../../src/host/download.ts';
import { ETCD, KUBE_APISERVER, KUBE_CONTROLLER_MANAGER } from '../../src/sandbox/binaries.ts';

/**
 * The official release downloads, served on loopback in the releases' own layouts: a stand-in
 * binary (a script that says where it came from) and the published sha256 beside it.
 */
const arch = releaseArch();
const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');
const script = (says: string) => Buffer.from(`#!/bin/sh\necho ${says}\n`);

describe('tool binaries: the official release first, the Go build when it cannot be had', { skip: arch ? false : 'no official linux release for this platform', timeout: 60_000 }, () => {
  let server: Server;
  let base: string;
  const files = new Map<string, Buffer>();
  const requests: string[] = [];
  let root: string;
  let binDir: string;
  let goDir: string;
  let goRan: string;
  let lines: string[];
  const log = (l: string) => lines.push(l);
  /** A machine with a Go toolchain (a stand-in that records it ran and "builds" a script) and nothing else on PATH. */
  const env = (vars: Record<string, string> = {}) => ({ PATH: goDir, KUBEBUILDER_ASSETS: '', TEMPORAL_CLI_PATH: '', UDN_DEMO_OFFLINE: '0', ...vars });
  const serve = (path: string, bytes: Buffer | string) => files.set(`/${path}`, Buffer.from(bytes));
  const run = async (path: string) => (await execa(path)).stdout;

  before(async () => {
    server = createHttpServer((req, res) => {
      requests.push(req.url ?? '');
      const body = files.get(req.url ?? '');
      if (body) res.end(body);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  after(() => server?.close());
  beforeEach(async () => {
    files.clear();
    requests.length = 0;
    lines = [];
    root = await mkdtemp(join(tmpdir(), 'udn-download-'));
    binDir = join(root, 'cache');
    goDir = join(root, 'go-bin');
    goRan = join(root, 'go-ran');
    await mkdir(goDir);
    // Like the real one: writes the binary to -o's path, or to $GOBIN for `go install`.
    await writeFile(join(goDir, 'go'), `#!/bin/sh\necho "$@" >> ${goRan}\nout="$GOBIN/temporal"\nwhile [ $# -gt 0 ]; do [ "$1" = -o ] && out="$2"; shift; done\nprintf '#!/bin/sh\\necho built\\n' > "$out"\n/bin/chmod +x "$out"\n`);
    await chmod(join(goDir, 'go'), 0o755);
  });
  const goRuns = () => readFile(goRan, 'utf8').then((s) => s.trim().split('\n').length, () => 0);

  it('downloads a Kubernetes binary, checks its .sha256, caches it executable and uses it; the second lookup is the cache', async () => {
    const dir = `v${KUBE_APISERVER.version}/bin/linux/${arch}`;
    const binary = script('official kube-apiserver');
    serve(`${dir}/kube-apiserver`, binary);
    serve(`${dir}/kube-apiserver.sha256`, sha256(binary));
    const vars = env({ UDN_DEMO_DOWNLOAD_BASE_KUBERNETES: base });
    const found = await locateBinary(KUBE_APISERVER, { env: vars, binDir, log });
    assert.deepEqual(found, { path: binaryCachePath(KUBE_APISERVER, binDir), source: 'download' }, lines.join('\n'));
    assert.equal(await run(found.path), 'official kube-apiserver');
    assert.deepEqual(requests, [`/${dir}/kube-apiserver.sha256`, `/${dir}/kube-apiserver`]);
    assert.equal(await goRuns(), 0, 'nothing was built');
    assert.match(lines[0]!, new RegExp(`^kube-apiserver: downloading v1\\.34\\.4 from ${base}/${dir}/kube-apiserver$`));
    assert.deepEqual(await readdir(binDir), ['kube-apiserver-1.34.4'], 'no temporary files are left');
    const again = await locateBinary(KUBE_APISERVER, { env: vars, binDir, log });
    assert.equal(again.source, 'cache');
    assert.equal(requests.length, 2, 'the cache needs no request');
  });

  for (const [spec, baseEnv, file, sums, member] of [
    [ETCD, 'UDN_DEMO_DOWNLOAD_BASE_ETCD', `v3.6.6/etcd-v3.6.6-linux-${arch}.tar.gz`, 'v3.6.6/SHA256SUMS', `etcd-v3.6.6-linux-${arch}/etcd`],
    [TEMPORAL_CLI, 'UDN_DEMO_DOWNLOAD_BASE_TEMPORAL', `v1.5.1/temporal_cli_1.5.1_linux_${arch}.tar.gz`, 'v1.5.1/temporal_cli_1.5.1_checksums.txt', 'temporal'],
  ] as const) {
    it(`unpacks ${spec.label} from its release archive, checked against the release's checksum list`, async () => {
      const tree = join(root, 'tree');
      await mkdir(join(tree, member, '..'), { recursive: true });
      await writeFile(join(tree, member), script(`official ${spec.name}`), { mode: 0o755 });
      await writeFile(join(tree, 'README.md'), 'not the binary');
      const archive = join(root, 'release.tar.gz');
      await execa('tar', ['-czf', archive, '-C', tree, member.split('/')[0]!, 'README.md']);
      const bytes = await readFile(archive);
      const name = file.split('/').pop()!;
      serve(file, bytes);
      // Sums for the other files of the release come first, as in the real lists.
      serve(sums, `${sha256('other')}  ${name.replace(arch!, 'ppc64le')}\n${sha256(bytes)}  ${name}\n`);
      const found = await locateBinary(spec, { env: env({ [baseEnv]: base }), binDir, log });
      assert.equal(found.source, 'download', lines.join('\n'));
      assert.equal(await run(found.path), `official ${spec.name}`);
      assert.deepEqual(await readdir(binDir), [`${spec.name}-${spec.version}`]);
    });
  }

  it('refuses a file whose sha256 is not the published one: a one-line error with both sums, nothing cached, nothing built', async () => {
    const dir = `v${KUBE_APISERVER.version}/bin/linux/${arch}`;
    const published = sha256(script('the real one'));
    const tampered = script('tampered');
    serve(`${dir}/kube-apiserver`, tampered);
    serve(`${dir}/kube-apiserver.sha256`, `${published}\n`);
    await assert.rejects(locateBinary(KUBE_APISERVER, { env: env({ UDN_DEMO_DOWNLOAD_BASE_KUBERNETES: base }), binDir, log }), (err: Error) => {
      assert.equal(err.name, 'InfrastructureError');
      assert.equal(err.message, `kube-apiserver: sha256 ${sha256(tampered)} does not match the published ${published} (${base}/${dir}/kube-apiserver.sha256); refusing to use it`);
      return true;
    });
    assert.deepEqual(await readdir(binDir), []);
    assert.equal(await goRuns(), 0);
  });

  it('a file the server does not have (404) falls back to the Go build, saying why in one line', async () => {
    const found = await locateBinary(TEMPORAL_CLI, { env: env({ UDN_DEMO_DOWNLOAD_BASE_TEMPORAL: base }), binDir, log });
    assert.deepEqual(found, { path: binaryCachePath(TEMPORAL_CLI, binDir), source: 'go build' });
    assert.equal(await run(found.path), 'built');
    assert.equal(requests.length, 1, 'the missing checksum list ends the attempt');
    assert.ok(lines.includes(`temporal CLI: cannot download ${base}/v1.5.1/temporal_cli_1.5.1_checksums.txt: HTTP 404; building it with Go instead`), lines.join('\n'));
    assert.equal(await goRuns(), 1);
  });

  it('a host that does not resolve gives up at once and builds', async () => {
    const started = performance.now();
    const found = await locateBinary(ETCD, { env: env({ UDN_DEMO_DOWNLOAD_BASE_ETCD: 'http://udn-demo-nonexistent.invalid' }), binDir, log });
    assert.equal(found.source, 'go build');
    assert.ok(performance.now() - started < 5_000, `took ${performance.now() - started} ms`);
    assert.ok(lines.some((l) => /^etcd: cannot download http:\/\/udn-demo-nonexistent\.invalid\/v3\.6\.6\/SHA256SUMS: (ENOTFOUND|EAI_AGAIN); building it with Go instead$/.test(l)), lines.join('\n'));
  });

  describe('a server that accepts the connection and never answers', () => {
    let silent: TcpServer;
    const held: Socket[] = [];
    before(async () => {
      silent = createTcpServer((socket) => held.push(socket));
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    });
    after(() => {
      held.forEach((s) => s.destroy());
      silent?.close();
    });
    it('is given up after the connect timeout (3 s), then the build runs', async () => {
      const started = performance.now();
      const silentBase = `http://127.0.0.1:${(silent.address() as { port: number }).port}`;
      const found = await locateBinary(KUBE_CONTROLLER_MANAGER, { env: env({ UDN_DEMO_DOWNLOAD_BASE_KUBERNETES: silentBase }), binDir, log });
      const ms = performance.now() - started;
      assert.equal(found.source, 'go build');
      assert.ok(ms >= 2_900 && ms < 6_000, `took ${ms} ms`);
      assert.ok(lines.some((l) => l.endsWith('.sha256: no progress within 3 s; building it with Go instead')), lines.join('\n'));
    });
  });

  it('UDN_DEMO_OFFLINE=1 makes no request at all: the plan is the build', async () => {
    const vars = env({ UDN_DEMO_OFFLINE: '1', UDN_DEMO_DOWNLOAD_BASE_KUBERNETES: base });
    assert.deepEqual(await planBinary(KUBE_APISERVER, vars, binDir), { how: 'build', go: join(goDir, 'go') });
    const found = await locateBinary(KUBE_APISERVER, { env: vars, binDir, log });
    assert.equal(found.source, 'go build');
    assert.deepEqual(requests, []);
  });

  it('doctor’s plan: the download first, the build behind it; a spec without a release keeps the build', async () => {
    const plan = await planBinary(ETCD, env({ UDN_DEMO_DOWNLOAD_BASE_ETCD: base }), binDir);
    assert.equal(plan.how, 'download');
    assert.equal(plan.how === 'download' && plan.from, `${base}/v3.6.6/etcd-v3.6.6-linux-${arch}.tar.gz`);
    assert.deepEqual(plan.how === 'download' && plan.otherwise, { how: 'build', go: join(goDir, 'go') });
    const { release: _, ...unreleased }: BinarySpec = ETCD;
    assert.deepEqual(await planBinary(unreleased, env(), binDir), { how: 'build', go: join(goDir, 'go') });
    assert.deepEqual(requests, [], 'planning fetches nothing');
  });
});
