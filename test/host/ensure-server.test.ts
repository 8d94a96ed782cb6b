import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import { ExitCode, InfrastructureError } from '../../src/errors.ts';
import { freePort } from '../../src/host/free-port.ts';
import { endGroup, spawnStranger } from './strangers.ts';

// The dev server's pidfile lives in the data dir, read when paths.ts is first imported: a fresh one here.
const dataDir = await mkdtemp(join(tmpdir(), 'udn-data-'));
process.env.UDN_DEMO_DATA_DIR = dataDir;
const { ensureTemporalServer } = await import('../../src/client/ensure-server.ts');
const { defaultDevServer, startDevServer, stopDevServer } = await import('../../src/client/dev-server.ts');
const { loadConfig } = await import('../../src/config/load.ts');

/** The built-in defaults (no file, no TEMPORAL_ADDRESS), with the default address moved off the real 7233. */
async function defaultsAt(port: number) {
  const loaded = await loadConfig(undefined, {});
  loaded.config.temporal.address = `127.0.0.1:${port}`;
  assert.equal(loaded.temporalAddressExplicit, false);
  return loaded;
}

function listen(port: number): Promise<Server> {
  const server = createServer((socket) => socket.destroy());
  return new Promise((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', () => resolve(server)));
}

describe('the default Temporal address is reused only when our dev server listens there', { timeout: 120_000 }, () => {
  let server: Server | undefined;
  afterEach(() => server?.close());
  after(() => rm(dataDir, { recursive: true, force: true }));

  async function refusal(port: number): Promise<InfrastructureError> {
    const lines: string[] = [];
    const err = await ensureTemporalServer(await defaultsAt(port), (l) => lines.push(l)).then(
      () => assert.fail(`a server that is not ours was accepted: ${lines.join('\n')}`),
      (e: unknown) => e,
    );
    assert.ok(err instanceof InfrastructureError, String(err));
    assert.equal(err.exitCode, ExitCode.infrastructure);
    assert.doesNotMatch(err.message, /\n/, 'one line');
    return err;
  }

  it('refuses something else listening there, in one line saying how to use it on purpose', async () => {
    const port = await freePort();
    server = await listen(port);
    const err = await refusal(port);
    assert.match(err.message, new RegExp(`something other than udn-demo's dev server listens on 127\\.0\\.0\\.1:${port}`));
    assert.match(err.message, new RegExp(`set TEMPORAL_ADDRESS=127\\.0\\.0\\.1:${port} or temporal\\.address in the config file`));
  });

  it('refuses it too when our pidfile, written without identity, names a live pid, and says why', async () => {
    const port = await freePort();
    server = await listen(port);
    const stranger = spawnStranger();
    try {
      await mkdir(defaultDevServer.dir, { recursive: true });
      await writeFile(join(defaultDevServer.dir, 'temporal.pid.json'), JSON.stringify({ pid: stranger.pid, port }));
      const err = await refusal(port);
      assert.match(err.message, new RegExp(`temporal\\.pid\\.json is stale: pid ${stranger.pid} was recorded without its start time`));
    } finally {
      endGroup(stranger.pid);
      await rm(join(defaultDevServer.dir, 'temporal.pid.json'), { force: true });
    }
  });

  it('reuses our own dev server, naming its pid', async () => {
    const port = await freePort();
    const ours = await startDevServer({ ...defaultDevServer, port, uiPort: await freePort() }, () => undefined);
    try {
      const lines: string[] = [];
      await ensureTemporalServer(await defaultsAt(port), (l) => lines.push(l));
      assert.deepEqual(lines, [`temporal: reusing the embedded dev server at 127.0.0.1:${port} (pid ${ours.pid})`]);
    } finally {
      await stopDevServer({ ...defaultDevServer, port });
    }
  });
});
