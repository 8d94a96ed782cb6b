import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, it } from 'node:test';
import { binaryCachePath } from '../../src/host/binaries.ts';
import { TEMPORAL_CLI, TEMPORAL_CLI_VERSION, locateTemporalCli } from '../../src/client/temporal-binary.ts';

const cachedPath = (binDir: string) => binaryCachePath(TEMPORAL_CLI, binDir);

let root: string;
async function executable(path: string, body = 'exit 0'): Promise<string> {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, `#!/bin/sh\n${body}\n`);
  await chmod(path, 0o755);
  return path;
}

describe('finding the Temporal CLI', () => {
  let lines: string[];
  const log = (l: string) => lines.push(l);
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'udn-bin-'));
    lines = [];
  });

  it('prefers $TEMPORAL_CLI_PATH over PATH and the cache, and says so in one line', async () => {
    const fromEnv = await executable(join(root, 'env', 'temporal'));
    const pathDir = join(root, 'path');
    await executable(join(pathDir, 'temporal'));
    await executable(cachedPath(join(root, 'cache')));
    const found = await locateTemporalCli({ env: { TEMPORAL_CLI_PATH: fromEnv, PATH: pathDir }, binDir: join(root, 'cache'), log });
    assert.deepEqual(found, { path: fromEnv, source: 'TEMPORAL_CLI_PATH' });
    assert.deepEqual(lines, [`temporal CLI: ${fromEnv} (from TEMPORAL_CLI_PATH)`]);
  });

  it('rejects a $TEMPORAL_CLI_PATH that is not an executable file', async () => {
    await assert.rejects(locateTemporalCli({ env: { TEMPORAL_CLI_PATH: join(root, 'missing') }, binDir: root, log }), /TEMPORAL_CLI_PATH=.*missing is not an executable file/);
  });

  it('then PATH, then the cache', async () => {
    const pathDir = join(root, 'path');
    const onPath = await executable(join(pathDir, 'temporal'));
    const cached = await executable(cachedPath(join(root, 'cache')));
    assert.equal((await locateTemporalCli({ env: { PATH: pathDir }, binDir: join(root, 'cache'), log })).source, 'PATH');
    assert.equal((await locateTemporalCli({ env: { PATH: pathDir }, binDir: join(root, 'cache'), log })).path, onPath);
    const fromCache = await locateTemporalCli({ env: { PATH: join(root, 'empty') }, binDir: join(root, 'cache'), log });
    assert.deepEqual(fromCache, { path: cached, source: 'cache' });
  });

  it('builds with go install at the pinned version into the cache when nothing is found', async () => {
    // A stand-in `go` that records its arguments and "installs" into $GOBIN, as the real one does.
    const goDir = join(root, 'go-bin');
    const argsFile = join(root, 'go-args');
    await executable(join(goDir, 'go'), `echo "$@" > ${argsFile}\nprintf '#!/bin/sh\\necho built\\n' > "$GOBIN/temporal"\n/bin/chmod +x "$GOBIN/temporal"`);
    const binDir = join(root, 'cache');
    // Offline: the release download comes first otherwise (test/host/download.test.ts covers it).
    const found = await locateTemporalCli({ env: { PATH: goDir, UDN_DEMO_OFFLINE: '1' }, binDir, log });
    assert.deepEqual(found, { path: cachedPath(binDir), source: 'go build' });
    assert.equal((await readFile(argsFile, 'utf8')).trim(), `install -trimpath github.com/temporalio/cli/cmd/temporal@v${TEMPORAL_CLI_VERSION}`);
    assert.match(lines[0]!, /building v1\.5\.1 into .*the first build takes several minutes/);
    const again = await locateTemporalCli({ env: { PATH: goDir }, binDir, log });
    assert.equal(again.source, 'cache', 'the second call reuses the build');
  });

  it('reports a failed Go build with the tail of its output', async () => {
    const goDir = join(root, 'go-bin');
    await executable(join(goDir, 'go'), 'echo "go: module lookup disabled" >&2\nexit 1');
    await assert.rejects(locateTemporalCli({ env: { PATH: goDir }, binDir: join(root, 'cache'), log }), /go install .* failed: go: module lookup disabled/);
  });
});
