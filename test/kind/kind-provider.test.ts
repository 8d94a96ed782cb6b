import assert from 'node:assert/strict';
import { access, mkdir, readFile, realpath, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { KIND_SH_FLAGS, kindPaths, kindProvider } from '../../src/cluster/providers/kind/index.ts';
import type { ToolCheck } from '../../src/cluster/providers/types.ts';
import { configSchema, type KindConfig } from '../../src/config/schema.ts';
import { fakeTools, type Call, type FakeTools, type FakeToolsOptions } from '../helpers/fake-tools.ts';

const DEFAULTS: KindConfig = configSchema.parse({}).cluster.kind;
/** The machine checks, which depend on the test machine, not on the fakes. */
const ROOM = new Set(['free disk', 'memory']);

const made: FakeTools[] = [];
after(async () => {
  for (const f of made) await f.cleanup();
});

/** Answers each call with the next scripted answer (the last one repeats) and remembers the calls. */
function scriptedProblems(...answers: string[][]) {
  const calls: { kubeconfigPath: string; clusterName: string }[] = [];
  const problems = async (kubeconfigPath: string, clusterName: string): Promise<string[]> => {
    calls.push({ kubeconfigPath, clusterName });
    return answers[Math.min(calls.length - 1, answers.length - 1)] ?? [];
  };
  return { problems, calls };
}

async function setup(opts: FakeToolsOptions = {}, kind: Partial<KindConfig> = {}, answers: string[][] = [[]]) {
  const f = await fakeTools(opts);
  made.push(f);
  const dataDir = join(f.root, 'data');
  await mkdir(dataDir);
  const config: KindConfig = { ...DEFAULTS, ...kind };
  const health = scriptedProblems(...answers);
  const provider = kindProvider(config, { env: f.env, dataDir, problems: health.problems });
  const progress: string[] = [];
  const ensure = (name: string) => provider.ensure(name, (line) => progress.push(line));
  return { f, dataDir, config, provider, progress, ensure, health };
}

const named = (calls: Call[], name: string) => calls.filter((c) => c.name === name);

/** kind.sh ran once, with the demo's flags and `-ov IMAGE` as one literal argument. */
async function ranKindShWithImage(f: FakeTools, image: string): Promise<Call[]> {
  const kindSh = named(await f.calls(), 'kind.sh');
  assert.deepEqual(
    kindSh.map((c) => c.argv),
    [[...KIND_SH_FLAGS, '-ov', image]],
  );
  return kindSh;
}
const isKind = (c: Call, ...argv: string[]) => c.name === 'kind' && argv.every((a, i) => c.argv[i] === a);
const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

describe('kind provider: preflight', () => {
  it('reports several missing tools at once, the Docker engine first, each with a hint', async () => {
    const { provider } = await setup({ engine: false, missing: ['kind', 'jq'] });
    const checks = await provider.preflight('ovn');
    const failed = checks.filter((c) => !c.found);
    assert.deepEqual(
      failed.filter((c) => !ROOM.has(c.name)).map((c) => c.name),
      ['docker engine', 'kind', 'jq'],
    );
    assert.equal(checks[0]?.name, 'docker engine', 'the engine is checked first');
    assert.equal(failed[0]?.name, 'docker engine', 'the engine is the first problem reported');
    const byName = new Map(checks.map((c) => [c.name, c] as [string, ToolCheck]));
    assert.match(byName.get('docker engine')?.hint ?? '', /failed.*Docker Engine/);
    assert.match(byName.get('kind')?.hint ?? '', /^not found: .*kind/);
    assert.match(byName.get('jq')?.hint ?? '', /^not found: apt install jq/);
    for (const c of failed) assert.ok(c.hint && c.hint.length > 10, `${c.name} has a hint`);
    // Everything else the fakes provide is found, with the version they report.
    for (const name of ['kubectl', 'git', 'curl', 'wget', 'awk', 'python3 with pip', 'go']) assert.equal(byName.get(name)?.found, true, `${name} found`);
    assert.equal(byName.get('kubectl')?.version, '1.31.0');
    assert.equal(byName.get('python3 with pip')?.version, '24.0');
  });

  it('reports a kind older than the minimum with its version', async () => {
    const { provider } = await setup({ versions: { kind: 'v0.17.0' } });
    const kind = (await provider.preflight('ovn')).find((c) => c.name === 'kind');
    assert.equal(kind?.found, false);
    assert.equal(kind?.version, '0.17.0');
    assert.match(kind?.hint ?? '', /0\.17\.0 is older than 0\.20\.0/);
  });

  it('accepts a kind at the pinned version and a running engine', async () => {
    const { provider } = await setup({ versions: { kind: 'v0.27.0', docker: '27.3.1' } });
    const checks = await provider.preflight('ovn');
    assert.deepEqual(
      checks.filter((c) => !c.found && !ROOM.has(c.name)),
      [],
    );
    assert.equal(checks.find((c) => c.name === 'kind')?.version, '0.27.0');
    assert.equal(checks.find((c) => c.name === 'docker engine')?.version, '27.3.1');
  });

  it('requires go only when no ovnImage is configured', async () => {
    const withImage = await setup({ missing: ['go'] }, { ovnImage: 'ghcr.io/ovn-kubernetes/ovn-kubernetes/ovn-kube-ubuntu:master' });
    const checksWithImage = await withImage.provider.preflight('ovn');
    assert.equal(
      checksWithImage.find((c) => c.name === 'go'),
      undefined,
      'no go check with a prebuilt image',
    );
    assert.deepEqual(
      checksWithImage.filter((c) => !c.found && !ROOM.has(c.name)),
      [],
    );

    const without = await setup({ missing: ['go'] });
    const go = (await without.provider.preflight('ovn')).find((c) => c.name === 'go');
    assert.equal(go?.found, false, 'go is required to build the image');
    assert.match(go?.hint ?? '', /ovnImage/);
  });
});

describe('kind provider: ensure', () => {
  it('creates a cluster where none exists: pinned checkout, exact kind.sh flags, its own KUBECONFIG', async () => {
    const commit = '0123456789abcdef0123456789abcdef01234567';
    const repo = 'https://git.example.invalid/ovn-kubernetes.git';
    const { f, dataDir, ensure, progress, health } = await setup({}, { ovnKubernetesCommit: commit, ovnKubernetesRepo: repo, kubevirtVersion: 'v1.3.1' });
    const p = kindPaths(dataDir, 'ovn');

    const ref = await ensure('ovn');

    assert.deepEqual(ref, { provider: 'kind', name: 'ovn', kubeconfigPath: p.kubeconfig });
    const calls = await f.calls();
    assert.deepEqual(calls[0]?.argv, ['get', 'clusters'], 'first asks kind which clusters exist');
    assert.equal(calls.filter((c) => isKind(c, 'delete')).length, 0, 'nothing to delete');

    const git = named(calls, 'git');
    const fetches = git.filter((c) => c.argv[2] === 'fetch');
    assert.deepEqual(
      fetches.map((c) => c.argv),
      [['-C', p.checkout, 'fetch', '--depth', '1', 'origin', commit]],
    );
    assert.ok(
      git.some((c) => c.argv.join(' ') === `-C ${p.checkout} remote add origin ${repo}`),
      'the configured repository is the remote',
    );
    assert.equal((await readFile(join(p.checkout, '.fake-head'), 'utf8')).trim(), commit, 'checked out at the commit');

    const kindSh = named(calls, 'kind.sh');
    assert.equal(kindSh.length, 1);
    const run = kindSh[0]!;
    assert.deepEqual(run.argv, KIND_SH_FLAGS);
    // The demo's flags: Multus, interconnect, network segmentation (UDNs), MetalLB, KubeVirt.
    assert.deepEqual(KIND_SH_FLAGS, ['--multi-network-enable', '-ic', '-nse', '-mlb', '-ikv']);
    assert.equal(run.cwd, await realpath(join(p.checkout, 'contrib')));
    assert.equal(run.env.KUBECONFIG, p.kubeconfig);
    assert.notEqual(run.env.KUBECONFIG, f.env.KUBECONFIG);
    assert.equal(run.env.KUBEVIRT_VERSION, 'v1.3.1');
    assert.equal(run.env.KIND_CLUSTER_NAME, 'ovn');
    assert.ok(
      calls.indexOf(run) > calls.indexOf(fetches[0]!),
      'kind.sh runs after the fetch',
    );

    assert.match(await readFile(p.kubeconfig, 'utf8'), /current-context: kind-ovn/, 'kind.sh wrote our kubeconfig');
    assert.deepEqual(health.calls, [{ kubeconfigPath: p.kubeconfig, clusterName: 'ovn' }], 'health checked once, after kind.sh');

    assert.match(progress[0] ?? '', /^decision: create kind cluster ovn/);
    for (const line of ['kind.sh: Creating cluster "ovn" ...', 'kind.sh: fake kind.sh: a line on stderr', 'kind.sh: fake kind.sh: cluster ready']) {
      assert.ok(progress.includes(line), `progress has ${JSON.stringify(line)}: ${JSON.stringify(progress)}`);
    }
    assert.ok(
      progress.findIndex((l) => l.startsWith('decision:')) < progress.findIndex((l) => l.startsWith('kind.sh:')),
      'the decision is logged before kind.sh runs',
    );
    assert.equal(progress.at(-1), 'kind cluster ovn ready');

    const log = await readFile(p.log, 'utf8');
    for (const line of ['Creating cluster "ovn" ...', 'fake kind.sh: a line on stderr', 'fake kind.sh: cluster ready']) assert.ok(log.includes(line), `log has ${line}`);
  });

  it('passes -ov IMAGE to kind.sh when ovnImage is set', async () => {
    const image = 'ghcr.io/ovn-kubernetes/ovn-kubernetes/ovn-kube-ubuntu:master';
    const { f, ensure } = await setup({}, { ovnImage: image });
    await ensure('ovn');
    const kindSh = await ranKindShWithImage(f, image);
    assert.equal(kindSh[0]?.env.KUBEVIRT_VERSION, DEFAULTS.kubevirtVersion);
    const fetch = named(await f.calls(), 'git').find((c) => c.argv[2] === 'fetch');
    assert.equal(fetch?.argv.at(-1), DEFAULTS.ovnKubernetesCommit);
  });

  it("leaves the user's KUBECONFIG byte-for-byte unchanged", async () => {
    const { f, dataDir, ensure } = await setup();
    const userConfig = Buffer.from('apiVersion: v1\nkind: Config\ncurrent-context: prod\n# the user\'s own clusters, not ours\n\u0000\xff\n', 'latin1');
    await mkdir(dirname(f.userKubeconfig), { recursive: true });
    await writeFile(f.userKubeconfig, userConfig);

    await ensure('ovn');

    assert.deepEqual(await readFile(f.userKubeconfig), userConfig);
    const p = kindPaths(dataDir, 'ovn');
    assert.notEqual(p.kubeconfig, f.userKubeconfig);
    // kind.sh (which deletes whatever $KUBECONFIG names) only ever saw ours.
    for (const c of named(await f.calls(), 'kind.sh')) assert.equal(c.env.KUBECONFIG, p.kubeconfig);
  });

  it('reuses a healthy existing cluster: no kind.sh, no delete, no checkout', async () => {
    const { f, dataDir, ensure, progress, health } = await setup({ clusters: ['ovn'] }, {}, [[]]);
    const p = kindPaths(dataDir, 'ovn');

    const ref = await ensure('ovn');

    assert.deepEqual(ref, { provider: 'kind', name: 'ovn', kubeconfigPath: p.kubeconfig });
    const calls = await f.calls();
    assert.deepEqual(named(calls, 'kind.sh'), [], 'kind.sh not run');
    assert.deepEqual(
      calls.filter((c) => isKind(c, 'delete')),
      [],
      'nothing deleted',
    );
    assert.deepEqual(named(calls, 'git'), [], 'no checkout needed');
    assert.ok(calls.some((c) => isKind(c, 'get', 'kubeconfig', '--name', 'ovn')));
    assert.match(await readFile(p.kubeconfig, 'utf8'), /current-context: kind-ovn/, "kind's kubeconfig saved as ours");
    assert.equal((await stat(p.kubeconfig)).mode & 0o777, 0o600);
    assert.deepEqual(health.calls, [{ kubeconfigPath: p.kubeconfig, clusterName: 'ovn' }]);
    assert.match(progress[0] ?? '', /^decision: reuse kind cluster ovn/);
    assert.deepEqual(await f.clusters(), ['ovn']);
  });

  it('deletes a half-made cluster before running kind.sh, naming the reason', async () => {
    const { f, dataDir, ensure, progress, health } = await setup({ clusters: ['ovn'] }, {}, [['node ovn-worker2 not Ready'], []]);

    await ensure('ovn');

    const calls = await f.calls();
    const del = calls.findIndex((c) => isKind(c, 'delete'));
    const kindSh = calls.findIndex((c) => c.name === 'kind.sh');
    assert.ok(del >= 0, 'kind delete ran');
    // kind edits the kubeconfig it deletes from: ours, never the user's.
    assert.deepEqual(calls[del]?.argv, ['delete', 'cluster', '--name', 'ovn', '--kubeconfig', kindPaths(dataDir, 'ovn').kubeconfig]);
    assert.ok(kindSh > del, `kind delete (call ${del}) runs before kind.sh (call ${kindSh})`);
    assert.equal(calls.filter((c) => c.name === 'kind.sh').length, 1);
    const decision = progress.find((l) => l.startsWith('decision:')) ?? '';
    assert.match(decision, /^decision: replace kind cluster ovn/);
    assert.ok(decision.includes('node ovn-worker2 not Ready'), decision);
    assert.equal(health.calls.length, 2, 'checked before and after kind.sh');
    assert.deepEqual(await f.clusters(), ['ovn'], 'made again by kind.sh');
  });

  it('treats a listed cluster without a kubeconfig as half-made: replaced, not "none exists"', async () => {
    // `kind get clusters` lists it, but kind cannot give its kubeconfig (e.g. the control-plane
    // container of a crashed attempt is gone): the cluster exists and is half-made.
    const { f, ensure, progress } = await setup({ clusters: ['ovn'], kubeconfigFails: true });

    await ensure('ovn');

    const decision = progress.find((l) => l.startsWith('decision:')) ?? '';
    assert.match(decision, /^decision: replace kind cluster ovn/, decision);
    const calls = await f.calls();
    const del = calls.findIndex((c) => isKind(c, 'delete', 'cluster', '--name', 'ovn'));
    const kindSh = calls.findIndex((c) => c.name === 'kind.sh');
    assert.ok(del >= 0 && kindSh > del, `kind delete (call ${del}) runs before kind.sh (call ${kindSh})`);
  });

  it('a second ensure reuses the cluster, and the checkout when the cluster must be made again', async () => {
    const { f, ensure, progress } = await setup();
    await ensure('ovn');
    const first = await f.calls();
    assert.equal(named(first, 'git').filter((c) => c.argv[2] === 'fetch').length, 1);

    progress.length = 0;
    await ensure('ovn');
    const second = (await f.calls()).slice(first.length);
    assert.match(progress[0] ?? '', /^decision: reuse kind cluster ovn/);
    assert.deepEqual(named(second, 'kind.sh'), [], 'kind.sh not run again');
    assert.deepEqual(named(second, 'git'), [], 'no git at all for a healthy cluster');

    // The cluster goes away (deleted by hand): made again, from the same checkout.
    await f.setClusters([]);
    progress.length = 0;
    const before = (await f.calls()).length;
    await ensure('ovn');
    const third = (await f.calls()).slice(before);
    assert.match(progress[0] ?? '', /^decision: create kind cluster ovn/);
    assert.deepEqual(
      named(third, 'git').map((c) => c.argv.slice(2)),
      [['rev-parse', 'HEAD']],
      'only asks the checkout its commit: no second fetch',
    );
    assert.ok(
      progress.some((l) => /checkout at [0-9a-f]{12} reused/.test(l)),
      JSON.stringify(progress),
    );
    assert.equal(named(third, 'kind.sh').length, 1);
  });

  it('rejects when kind.sh fails, naming the exit code, its last line and the log', async () => {
    const { f, dataDir, ensure, progress, health } = await setup({ kindShExit: 3 });
    const p = kindPaths(dataDir, 'ovn');
    await assert.rejects(ensure('ovn'), (err: Error) => {
      assert.match(err.message, /exited 3\b/);
      assert.ok(err.message.includes('ERROR: fake kind.sh failed installing KubeVirt (exit 3)'), err.message);
      assert.ok(err.message.includes(p.log), err.message);
      return true;
    });
    assert.equal(named(await f.calls(), 'kind.sh').length, 1);
    assert.ok(progress.includes('kind.sh: ERROR: fake kind.sh failed installing KubeVirt (exit 3)'));
    assert.match(await readFile(p.log, 'utf8'), /ERROR: fake kind\.sh failed installing KubeVirt \(exit 3\)/);
    assert.equal(health.calls.length, 0, 'a failed kind.sh is not reported as a cluster');
  });

  it('streams kind.sh lines intact when a multi-byte character arrives in two pieces', async () => {
    const { dataDir, ensure, progress } = await setup({ splitUtf8: true });
    await ensure('ovn');
    assert.ok(progress.includes('kind.sh:  ✓ Preparing nodes'), JSON.stringify(progress.filter((l) => l.includes('Preparing'))));
    assert.ok((await readFile(kindPaths(dataDir, 'ovn').log, 'utf8')).includes(' ✓ Preparing nodes'), 'the log has the raw bytes');
  });

  it('streams stdout and stderr lines whole: a half line on stderr is not spliced into a stdout line', async () => {
    const { ensure, progress } = await setup({ partialStderr: true });
    await ensure('ovn');
    const relevant = progress.filter((l) => /Downloading|a line on stdout/.test(l));
    assert.ok(progress.includes('kind.sh: a line on stdout'), JSON.stringify(relevant));
    assert.ok(progress.includes('kind.sh: Downloading kubevirt 50% 100%'), JSON.stringify(relevant));
  });

  it('passes an image with shell metacharacters as one literal argument, executing nothing', async () => {
    const f0 = await fakeTools();
    made.push(f0);
    const pwned = join(f0.root, 'pwned');
    const image = `registry.example/ovn:v1;/bin/touch ${pwned}-1 $(/bin/touch ${pwned}-2) \`/bin/touch ${pwned}-3\` && /bin/touch ${pwned}-4 | "q" 'q' *`;
    const { f, ensure } = await setup({}, { ovnImage: image });

    await ensure('ovn');

    await ranKindShWithImage(f, image);
    for (const i of [1, 2, 3, 4]) assert.equal(await exists(`${pwned}-${i}`), false, `nothing executed (${pwned}-${i})`);
  });

  it('passes a cluster name with shell metacharacters literally to kind and kind.sh', async () => {
    const name = `ovn; $(exit 9) \`false\` 'q' "dq" * & | > <`;
    const { f, dataDir, ensure } = await setup({ clusters: [name] }, {}, [['half-made'], []]);

    const ref = await ensure(name);

    assert.equal(ref.kubeconfigPath, kindPaths(dataDir, name).kubeconfig);
    const calls = await f.calls();
    assert.ok(
      calls.some((c) => isKind(c) && c.argv.join('\u0000') === ['get', 'kubeconfig', '--name', name].join('\u0000')),
      'kind get kubeconfig got the name as one argument',
    );
    assert.deepEqual(calls.find((c) => isKind(c, 'delete'))?.argv, ['delete', 'cluster', '--name', name, '--kubeconfig', kindPaths(dataDir, name).kubeconfig]);
    const kindSh = named(calls, 'kind.sh');
    assert.equal(kindSh.length, 1);
    assert.equal(kindSh[0]?.env.KIND_CLUSTER_NAME, name);
    assert.deepEqual(kindSh[0]?.argv, KIND_SH_FLAGS);
    assert.deepEqual(await f.clusters(), [name]);
  });
});
