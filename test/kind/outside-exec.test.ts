import assert from 'node:assert/strict';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, it } from 'node:test';
import { kindProvider } from '../../src/cluster/providers/kind/index.ts';
import { configSchema } from '../../src/config/schema.ts';
import { InfrastructureError } from '../../src/errors.ts';
import { fakeDocker, type FakeDockerState } from './fake-docker.ts';

const made: { cleanup(): Promise<void> }[] = [];
after(async () => {
  for (const f of made) await f.cleanup();
});

const CLUSTER = { provider: 'kind', name: 'ovn', kubeconfigPath: '/nonexistent/ovn.kubeconfig' } as const;
/** A probe's command as the scenarios build it: curl's -w format and a URL, each one argument. */
const CURL = ['curl', '-sS', '--connect-timeout', '3', '--max-time', '6', '-w', '\\nhttp_code=%{http_code}\\n', 'http://192.168.10.0:80/'];

async function setup(state: Partial<FakeDockerState> = {}) {
  const docker = await fakeDocker(state);
  made.push(docker);
  const provider = kindProvider(configSchema.parse({}).cluster.kind, { env: docker.env, dataDir: '/nonexistent', problems: async () => [] });
  return { docker, exec: (argv: readonly string[], timeoutMs = 10_000, signal?: AbortSignal) => provider.outsideExec(CLUSTER, 'client', argv, timeoutMs, signal) };
}

describe('kind provider: outsideExec', () => {
  it('runs docker exec lbclient with the argv as it is, and maps the answer', async () => {
    const { docker, exec } = await setup({ answers: { [CURL.join(' ')]: { stdout: 'hello from red\nhttp_code=200\n', stderr: 'a warning\n', exitCode: 0 } } });

    const r = await exec(CURL);

    assert.deepEqual(r, { stdout: 'hello from red\nhttp_code=200\n', stderr: 'a warning\n', exitCode: 0, host: 'container lbclient' });
    assert.deepEqual(await docker.argvs(), [['exec', 'lbclient', ...CURL]], 'one docker call, nothing else asked');
  });

  it('passes shell metacharacters literally, executing nothing', async () => {
    const { docker, exec } = await setup();
    const pwned = join(docker.env.PATH!, 'pwned');
    const argv = ['echo', `$(/bin/touch ${pwned})`, `; /bin/touch ${pwned}`, "'q' \"dq\" *", '`id`'];

    assert.equal((await exec(argv)).exitCode, 0);

    assert.deepEqual(await docker.argvs(), [['exec', 'lbclient', ...argv]]);
    await assert.rejects(access(pwned), 'nothing executed');
  });

  it('returns a command that runs and fails as a result, after making sure the container is up', async () => {
    const { docker, exec } = await setup({ answers: { '*': { stderr: 'curl: (28) Connection timed out after 3001 milliseconds\n', exitCode: 28 } } });

    const r = await exec(CURL);

    assert.deepEqual(r, { stdout: '', stderr: 'curl: (28) Connection timed out after 3001 milliseconds\n', exitCode: 28, host: 'container lbclient' });
    assert.deepEqual(await docker.argvs(), [
      ['exec', 'lbclient', ...CURL],
      ['inspect', '--format', '{{.State.Running}}', 'lbclient'],
    ]);
  });

  it('rejects when lbclient does not exist, saying how to get it back', async () => {
    const { exec } = await setup({ containers: {} });
    await assert.rejects(exec(CURL), (err: Error) => {
      assert.ok(err instanceof InfrastructureError, err.name);
      assert.match(err.message, /container lbclient does not exist/);
      assert.match(err.message, /udn-demo teardown --cluster/);
      return true;
    });
  });

  it('rejects when lbclient is stopped', async () => {
    const { exec } = await setup({ containers: { lbclient: 'exited' } });
    await assert.rejects(exec(CURL), /container lbclient is not running: .*kind\.sh -mlb makes it/);
  });

  it('rejects when the Docker engine does not answer, saying to start it', async () => {
    const { exec } = await setup({ daemon: false });
    await assert.rejects(exec(CURL), (err: Error) => {
      assert.ok(err instanceof InfrastructureError, err.name);
      assert.match(err.message, /docker cannot inspect container lbclient \(Cannot connect to the Docker daemon/);
      assert.match(err.message, /systemctl start docker/);
      return true;
    });
  });

  it('rejects when there is no docker at all', async () => {
    const provider = kindProvider(configSchema.parse({}).cluster.kind, { env: { PATH: '/nonexistent' }, dataDir: '/nonexistent', problems: async () => [] });
    await assert.rejects(provider.outsideExec(CLUSTER, 'client', CURL, 5_000), /docker not found.*install and start the Docker engine/);
  });

  it('gives up after the timeout, killing the docker client', async () => {
    const { docker, exec } = await setup({ answers: { '*': { stdout: 'late\n', sleepMs: 1_500 } } });
    const started = Date.now();

    await assert.rejects(exec(['sleep', '60'], 300), (err: Error) => {
      assert.ok(err instanceof InfrastructureError, err.name);
      assert.equal(err.message, 'container lbclient: `sleep 60` did not finish within 0.3 s');
      return true;
    });

    assert.ok(Date.now() - started < 1_400, `rejected after ${Date.now() - started} ms`);
    await sleep(1_700);
    assert.deepEqual(await docker.finished(), [], 'the fake docker was killed before answering');
  });

  it('stops when the signal aborts, killing the docker client, and rejects with the abort reason', async () => {
    const { docker, exec } = await setup({ answers: { '*': { sleepMs: 1_500 } } });
    const abort = new AbortController();
    const reason = new Error('cancelled');
    setTimeout(() => abort.abort(reason), 200);
    const started = Date.now();

    await assert.rejects(exec(['sleep', '60'], 30_000, abort.signal), (err) => err === reason);

    assert.ok(Date.now() - started < 1_400, `rejected after ${Date.now() - started} ms`);
    await sleep(1_700);
    assert.deepEqual(await docker.finished(), [], 'the fake docker was killed before answering');
  });
});

describe('kind provider: outsideExec on this machine (the NodePort, as the talk curled it from the hypervisor)', () => {
  const provider = (env: NodeJS.ProcessEnv) => kindProvider(configSchema.parse({}).cluster.kind, { env, dataDir: '/nonexistent', problems: async () => [] });

  it('runs the argv here, not in a container, and says so', async () => {
    const docker = await fakeDocker({});
    made.push(docker);
    const r = await provider(docker.env).outsideExec(CLUSTER, 'host', [process.execPath, '-e', 'console.log(process.argv[1]); process.exit(7)', 'a b'], 10_000);
    assert.deepEqual([r.stdout, r.exitCode, r.host], ['a b\n', 7, 'the machine running kind']);
    assert.deepEqual(await docker.argvs(), [], 'docker was never run');
  });

  it('a program that is not installed is an error that says so', async () => {
    await assert.rejects(provider({ PATH: '/nonexistent' }).outsideExec(CLUSTER, 'host', ['curl', 'http://172.18.0.2:30600'], 5_000), /the machine running kind cannot run curl: .*install it/);
  });
});
