import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { locateBinary, type BinarySpec } from '../../src/host/binaries.ts';
import { toolEnv } from '../../src/host/tool-env.ts';

const roots: string[] = [];
after(async () => {
  for (const r of roots) await rm(r, { recursive: true, force: true });
});

describe('the environment of third-party tools', () => {
  it('is ours without TEMPORAL_* variables', () => {
    assert.deepEqual(toolEnv({ PATH: '/bin', HOME: '/home/x', TEMPORAL_API_KEY: 'k', TEMPORAL_ADDRESS: 'a:7233', NOT_TEMPORAL_X: 'kept' }), { PATH: '/bin', HOME: '/home/x', NOT_TEMPORAL_X: 'kept' });
  });

  it('a Go build gets none, whether they come from the caller or from process.env', async () => {
    const root = await mkdtemp(join(tmpdir(), 'udn-tool-env-'));
    roots.push(root);
    const goDir = join(root, 'go-bin');
    const record = join(root, 'temporal-vars');
    await mkdir(goDir);
    // A stand-in `go` that records the TEMPORAL_* names it was given and "installs" into $GOBIN.
    await writeFile(join(goDir, 'go'), `#!/bin/bash\ncompgen -e TEMPORAL_ > "$RECORD"\nprintf '#!/bin/sh\\n' > "$GOBIN/fake-tool"\n/bin/chmod +x "$GOBIN/fake-tool"\n`);
    await chmod(join(goDir, 'go'), 0o755);
    const spec: BinarySpec = { name: 'fake-tool', label: 'fake tool', version: '1.0.0', goArgs: () => ['install', 'example.invalid/fake-tool@v1.0.0'] };

    process.env.TEMPORAL_API_KEY = 'the-worker-s-api-key';
    try {
      const found = await locateBinary(spec, { env: { PATH: goDir, RECORD: record, TEMPORAL_ADDRESS: 'temporal.example:7233' }, binDir: join(root, 'cache'), log: () => undefined });
      assert.equal(found.source, 'go build');
    } finally {
      delete process.env.TEMPORAL_API_KEY;
    }
    assert.equal((await readFile(record, 'utf8')).trim(), '', 'go saw no TEMPORAL_* variable');
  });
});
