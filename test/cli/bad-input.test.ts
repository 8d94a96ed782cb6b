import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { assertOneLineError, cli } from '../helpers/cli.ts';

/**
 * Bad input, end to end through the real CLI: each gives one readable line naming the problem,
 * exit code 2, no stack trace, and creates nothing (the data directory stays empty).
 */
describe('bad input: one line, exit 2, nothing created', { timeout: 600_000 }, () => {
  let dir: string;
  let dataDir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'udn-bad-'));
    dataDir = await mkdtemp(join(tmpdir(), 'udn-bad-data-'));
  });

  /** [what, config file content (YAML text or bytes), the line's pattern, the command (default `run`)] */
  const configs: [string, string | Buffer, RegExp, string?][] = [
    ['a port of the wrong type', 'scenario:\n  webserverPort: abc\n', /scenario\.webserverPort: .*expected number/],
    ['a port out of range', 'scenario:\n  webserverPort: 70000\n', /scenario\.webserverPort: /],
    ['an unknown top-level key', 'scenaro: {}\n', /scenaro/],
    ['an unknown nested key', 'scenario:\n  green:\n    namespace: green\n    subnet: 203.203.0.0/16\n    vlan: 7\n', /scenario\.green.*vlan/],
    ['a namespace that is not a DNS label', 'scenario:\n  green: { namespace: Green_NS, subnet: 203.203.0.0/16 }\n', /scenario\.green\.namespace: must be a DNS-1123 label/],
    ['a CIDR that is not one', 'scenario:\n  green: { namespace: green, subnet: 203.203.0.0 }\n', /scenario\.green\.subnet: .*not an IPv4 CIDR/],
    ['a CIDR with host bits', 'scenario:\n  blue: { namespace: blue, subnet: 192.168.1.1/16 }\n', /scenario\.blue\.subnet: .*host bits/],
    ['overlapping subnets', 'scenario:\n  blue: { namespace: blue, subnet: 203.203.128.0/17 }\n', /scenario\.blue\.subnet: .*overlaps/],
    ['the same namespace twice', 'scenario:\n  blue: { namespace: green, subnet: 192.168.0.0/16 }\n', /scenario\.blue\.namespace: must differ/],
    ['a negative timeout', 'timeouts:\n  wait-green-ready: -5\n', /timeouts\.wait-green-ready/],
    ['an absurd timeout', 'timeouts:\n  wait-green-ready: 99999999\n', /timeouts\.wait-green-ready/],
    ['a timeout for an unknown step', 'timeouts:\n  wait-purple-ready: 10\n', /wait-purple-ready/],
    ['zero retry attempts', 'retry:\n  maximumAttempts: 0\n', /retry\.maximumAttempts/],
    ['the migrated VM as its own client', 'scenario:\n  migration: { vm: vm-a, client: vm-a }\n', /scenario\.migration\.client: must differ/],
    ['the two web servers on one port', 'scenario:\n  newWebserverPort: 9000\n', /scenario\.newWebserverPort: must differ/],
    ['a password variable name that is not one', 'scenario:\n  guest: { passwordEnv: "1 BAD" }\n', /scenario\.guest\.passwordEnv: must be an environment variable name/],
    ['a password variable that is not ours', 'scenario:\n  guest: { passwordEnv: AWS_SECRET_ACCESS_KEY }\n', /scenario\.guest\.passwordEnv: must be a variable of ours: UDN_DEMO_/],
    ['a kind repository over plain http', 'cluster:\n  kind: { ovnKubernetesRepo: "http://example.com/ovn.git" }\n', /cluster\.kind\.ovnKubernetesRepo: must be an https:\/\/ URL or an absolute path/],
    ['an egress host with shell syntax', 'scenario:\n  egressHost: "example.com;reboot"\n', /scenario\.egressHost: must be a host name/],
    ['a short commit hash', 'cluster:\n  kind: { ovnKubernetesCommit: eb3eeeba }\n', /cluster\.kind\.ovnKubernetesCommit: must be a full 40-character commit hash/],
    ['a KubeVirt version without its v', 'cluster:\n  kind: { kubevirtVersion: 1.4.0 }\n', /cluster\.kind\.kubevirtVersion: must be a release tag/],
    ['an unknown provider', 'cluster: { provider: minikube }\n', /cluster\.provider/],
    ['a sandbox scale of zero', 'sandbox: { scale: 0 }\n', /sandbox\.scale/],
    ['a Temporal address without a port', 'temporal: { address: localhost }\n', /temporal\.address: must be host:port/],
    ['a YAML list instead of a mapping', '- scenario\n- green\n', /expected a mapping of settings, got a list/],
    ['broken YAML', 'scenario: [green\n', /not valid YAML|YAML/],
    // Fixed bytes, NUL among them: random ones had no NUL one time in eight and could read as YAML.
    ['binary bytes', Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 151) % 256)), /binary data, expected YAML/],
    ['a negative decision deadline', 'operator: { decisionTimeoutSeconds: -1 }\n', /operator\.decisionTimeoutSeconds/],
    ['a faults file that does not exist', 'sandbox: { faultsFile: no-such-faults.yaml }\n', /faults .*no-such-faults\.yaml: no such file/],
    ['tenants whose subnets overlap', 'tenants:\n  list:\n    - { namespace: t1, subnet: 10.1.0.0/16 }\n    - { namespace: t2, subnet: 10.1.128.0/17 }\n', /tenants\.list\.1\.subnet: 10\.1\.128\.0\/17 overlaps tenant 0's 10\.1\.0\.0\/16/, 'tenants'],
    ['two tenants in one namespace', 'tenants:\n  list:\n    - { namespace: t1, subnet: 10.1.0.0/16 }\n    - { namespace: t1, subnet: 10.2.0.0/16 }\n', /tenants\.list\.1\.namespace: "t1" is already tenant 0's namespace/, 'tenants'],
    ['a probe concurrency of zero', 'tenants: { probeConcurrency: 0 }\n', /tenants\.probeConcurrency/, 'tenants'],
    ['an unreadable Temporal client key', 'temporal: { tls: { clientCertPath: /nonexistent/client.pem, clientKeyPath: /nonexistent/client.key } }\n', /temporal\.tls\.clientCertPath: cannot read \/nonexistent\/client\.pem: ENOENT/],
  ];
  for (const [what, content, expected, command = 'run'] of configs) {
    it(`config: ${what}`, async () => {
      const file = join(dir, `${what.replace(/\W+/g, '-')}.yaml`);
      await writeFile(file, content);
      const r = await cli([command, '--sandbox', '--config', file], { UDN_DEMO_DATA_DIR: dataDir });
      assert.equal(r.exitCode, 2, r.stderr);
      assert.match(assertOneLineError(r), expected);
      assert.deepEqual(await readdir(dataDir), [], 'nothing created');
    });
  }

  const flags: [string, string[], RegExp][] = [
    ['a config path that is a directory', ['run', '--config', '/tmp'], /config \/tmp: is a directory/],
    ['a sandbox scale below zero', ['sandbox', 'up', '--scale', '-1'], /--scale must be a number above 0/],
    ['an unknown sandbox profile', ['sandbox', 'up', '--profile', 'fast'], /--profile must be one of instant, realistic, got "fast"/],
    ['a report format that does not exist', ['report', 'some-run', '--format', 'pdf'], /--format must list md, html, json, junit; got "pdf"/],
    ['a workflow id with a path in it', ['report', '../../etc/passwd'], /workflow id "\.\.\/\.\.\/etc\/passwd" must be/],
    ['a list limit of zero', ['list', '--limit', '0'], /--limit must be a whole number from 1 to 1000/],
    ['a retry for a step that does not exist', ['retry', 'some-run', '--step', 'wait-purple-ready'], /--step "wait-purple-ready" is not a step; steps: preflight, /],
    ['no tenants', ['tenants', '--sandbox', '--count', '0'], /^udn-demo: --count must be a whole number from 1 to 250, got "0"$/],
    ['more tenants than subnets are made for', ['tenants', '--sandbox', '--count', '251'], /^udn-demo: --count must be a whole number from 1 to 250, got "251"$/],
    ['a tenant count that is not a number', ['tenants', '--count', 'abc'], /^udn-demo: --count must be a whole number from 1 to 250, got "abc"$/],
    ['a fractional tenant count', ['tenants', '--count', '2.5'], /--count must be a whole number from 1 to 250, got "2\.5"/],
    ['a probe concurrency above its bound', ['tenants', '--count', '4', '--probe-concurrency', '257'], /^udn-demo: --probe-concurrency must be a whole number from 1 to 256, got "257"$/],
    ['a workflow id with spaces to skip', ['skip', 'my run'], /workflow id "my run" must be/],
    ['a failure injected into an activity that does not exist', ['run', '--sandbox', '--fail-activity', 'migrateVm=2'], /^udn-demo: --fail-activity names no activity: migrateVm \(activities: preflight, .*migrateVmi/],
    ["…and the worker's too", ['worker', '--fail-activity', 'migrateVmi=1', '--fail-activity', 'migrateVm=2'], /^udn-demo: --fail-activity names no activity: migrateVm \(activities: /],
    ['an injected failure without its count', ['tenants', '--sandbox', '--fail-activity', 'migrateVmi'], /^udn-demo: --fail-activity must be ACTIVITY=N with N a whole number from 1 to 20 \(e\.g\. migrateVmi=2\), got "migrateVmi"$/],
    ['zero injected failures', ['worker', '--fail-activity', 'migrateVmi=0'], /^udn-demo: --fail-activity must be ACTIVITY=N .*, got "migrateVmi=0"$/],
    ['more injected failures than a retry policy outlasts', ['run', '--fail-activity', 'migrateVmi=21'], /^udn-demo: --fail-activity must be ACTIVITY=N .*, got "migrateVmi=21"$/],
    ['injected failures with no worker here to fail them', ['run', '--sandbox', '--no-worker', '--fail-activity', 'migrateVmi=1'], /^udn-demo: --fail-activity is for the worker in this process; with --no-worker or --detach, give it to `udn-demo worker`$/],
    ['…nor in a detached run', ['tenants', '--sandbox', '--detach', '--fail-activity', 'migrateVmi=1'], /^udn-demo: --fail-activity is for the worker in this process/],
  ];
  for (const [what, args, expected] of flags) {
    it(`flags: ${what}`, async () => {
      // A server nobody listens on: a bad flag that slipped through fails here instead of starting
      // the dev server on the machine's shared default ports (7233/8233).
      const r = await cli(args, { UDN_DEMO_DATA_DIR: dataDir, TEMPORAL_ADDRESS: '127.0.0.1:1' });
      assert.equal(r.exitCode, 2, r.stderr);
      assert.match(assertOneLineError(r), expected);
      assert.deepEqual(await readdir(dataDir), [], 'nothing created');
    });
  }

  it('faults: a faults file that still fails activities (now `--fail-activity`) is refused before anything starts', async () => {
    await writeFile(join(dir, 'activity-faults.yaml'), 'activityFailures: { migrateVmi: 2 }\n');
    await writeFile(join(dir, 'with-activity-faults.yaml'), 'sandbox: { faultsFile: activity-faults.yaml }\n');
    const r = await cli(['run', '--sandbox', '--config', join(dir, 'with-activity-faults.yaml')], { UDN_DEMO_DATA_DIR: dataDir });
    assert.equal(r.exitCode, 2, r.stderr);
    assert.match(assertOneLineError(r), /^udn-demo: faults .*activity-faults\.yaml: Unrecognized key: "activityFailures"$/);
    assert.deepEqual(await readdir(dataDir), [], 'nothing created');
  });

  it('analyze: empty, truncated, binary, prose and huge inputs each get one line naming the problem, exit 2', async () => {
    const files: [string, string | Buffer, RegExp][] = [
      ['empty.json', '', /empty/],
      ['truncated.json', '{"start": {"connected": [], "intervals": [', /truncated or malformed JSON/],
      ['binary.bin', randomBytes(4096), /binary data/],
      ['prose.txt', 'We migrated the VM and it looked fine to me.\n', /neither iperf3 nor ping output/],
      ['huge.txt', 'lorem ipsum dolor sit amet\n'.repeat(400_000), /neither iperf3 nor ping output/],
    ];
    for (const [name, content] of files) await writeFile(join(dir, name), content);
    const r = await cli(['analyze', ...files.map(([name]) => join(dir, name))]);
    assert.equal(r.exitCode, 2);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, files.length);
    files.forEach(([name, , expected], i) => {
      assert.ok(lines[i]!.startsWith(`${join(dir, name)}: unreadable: `), lines[i]);
      assert.match(lines[i]!, expected);
    });
    assert.equal(r.stderr, '');
  });
});
