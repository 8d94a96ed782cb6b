import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What the fake answers to `docker exec <container> <argv…>` (keyed by the argv joined with spaces; `*` for any other). */
export interface ExecAnswer {
  stdout?: string;
  stderr?: string;
  exitCode?: number;
  /** Waits this long before answering; a kill on the way leaves no `finished` record. */
  sleepMs?: number;
}

export interface FakeDockerState {
  /** Whether the engine answers (false: every command fails as a CLI without a daemon does). */
  daemon: boolean;
  containers: Record<string, 'running' | 'exited'>;
  answers: Record<string, ExecAnswer>;
}

export interface FakeDocker {
  /** PATH is the fake's bin dir only. */
  env: NodeJS.ProcessEnv;
  /** Every argv docker got, in order. */
  argvs(): Promise<string[][]>;
  /** The argvs of exec answers that ran to their end (not killed). */
  finished(): Promise<string[][]>;
  set(state: Partial<FakeDockerState>): Promise<void>;
  cleanup(): Promise<void>;
}

const SCRIPT = `
const fs = require('node:fs');
const state = JSON.parse(fs.readFileSync(process.env.FAKE_DOCKER_STATE, 'utf8'));
const argv = process.argv.slice(2);
const log = (o) => fs.appendFileSync(process.env.FAKE_DOCKER_RECORD, JSON.stringify(o) + '\\n');
log({ argv });
const fail = (message) => { process.stderr.write(message + '\\n'); process.exit(1); };
if (!state.daemon) fail('Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?');
if (argv[0] === 'inspect') {
  const c = state.containers[argv.at(-1)];
  if (!c) fail('Error: No such object: ' + argv.at(-1));
  process.stdout.write(String(c === 'running') + '\\n');
  process.exit(0);
}
if (argv[0] !== 'exec') fail('fake docker: unsupported: ' + argv.join(' '));
const c = state.containers[argv[1]];
if (!c) fail('Error response from daemon: No such container: ' + argv[1]);
if (c !== 'running') fail('Error response from daemon: container 0123abcd is not running');
const command = argv.slice(2);
const a = state.answers[command.join(' ')] ?? state.answers['*'] ?? {};
setTimeout(() => {
  log({ finished: command });
  process.stdout.write(a.stdout ?? '');
  process.stderr.write(a.stderr ?? '');
  process.exit(a.exitCode ?? 0);
}, a.sleepMs ?? 0);
`;

/**
 * A `docker` executable (a node script, no shell) that records each argv as a JSON line and
 * answers `inspect --format {{.State.Running}}` and `exec` from a state file the test rewrites,
 * with the real CLI's messages for a missing daemon, a missing and a stopped container.
 */
export async function fakeDocker(initial: Partial<FakeDockerState> = {}): Promise<FakeDocker> {
  const root = await mkdtemp(join(tmpdir(), 'udn-fake-docker-'));
  const bin = join(root, 'bin');
  const stateFile = join(root, 'state.json');
  const record = join(root, 'record.jsonl');
  await mkdir(bin);
  await writeFile(join(bin, 'docker'), `#!${process.execPath}\n${SCRIPT}`);
  await chmod(join(bin, 'docker'), 0o755);
  await writeFile(record, '');
  let state: FakeDockerState = { daemon: true, containers: { lbclient: 'running' }, answers: {}, ...initial };
  const set = async (s: Partial<FakeDockerState>) => {
    state = { ...state, ...s };
    await writeFile(stateFile, JSON.stringify(state));
  };
  await set({});
  const lines = async () => (await readFile(record, 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l) as { argv?: string[]; finished?: string[] });
  return {
    env: { PATH: bin, FAKE_DOCKER_STATE: stateFile, FAKE_DOCKER_RECORD: record },
    argvs: async () => (await lines()).flatMap((l) => (l.argv ? [l.argv] : [])),
    finished: async () => (await lines()).flatMap((l) => (l.finished ? [l.finished] : [])),
    set,
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
}
