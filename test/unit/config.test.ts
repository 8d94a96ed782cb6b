import assert from 'node:assert/strict';
import { mkdtemp, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { resolveConnectionOptions } from '../../src/client/connection.ts';
import { workflowUrl } from '../../src/client/web-ui.ts';
import { loadConfig } from '../../src/config/load.ts';
import { InputError } from '../../src/errors.ts';

let dir: string;
async function file(name: string, content: string | Buffer): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

describe('config loading', () => {
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'udn-config-'));
  });

  it("embeds the talk's defaults", async () => {
    const { config, temporalAddressExplicit, source } = await loadConfig(undefined, {});
    assert.equal(source, 'built-in defaults');
    assert.equal(temporalAddressExplicit, false);
    assert.deepEqual(config.scenario.green, { namespace: 'green', subnet: '203.203.0.0/16' });
    assert.deepEqual(config.scenario.blue, { namespace: 'blue', subnet: '192.168.0.0/16' });
    assert.equal(config.scenario.migration.vm, 'vm-b');
    assert.equal(config.temporal.address, '127.0.0.1:7233');
    assert.equal(config.temporal.taskQueue, 'udn-demo');
    assert.equal(config.cluster.provider, 'kind');
  });

  it('merges a YAML file over the defaults', async () => {
    const path = await file('ok.yaml', 'cluster:\n  provider: sandbox\nscenario:\n  green:\n    namespace: emerald\n    subnet: 10.128.0.0/16\ntimeouts:\n  wait-green-ready: 60\n');
    const { config, source } = await loadConfig(path, {});
    assert.equal(source, path);
    assert.equal(config.cluster.provider, 'sandbox');
    assert.equal(config.scenario.green.namespace, 'emerald');
    assert.equal(config.scenario.blue.namespace, 'blue');
    assert.equal(config.timeouts['wait-green-ready'], 60);
  });

  it("takes Temporal's own environment variables, and an API key only by the variable's name", async () => {
    const { config, temporalAddressExplicit } = await loadConfig(undefined, {
      TEMPORAL_ADDRESS: 'my-ns.tmprl.cloud:7233',
      TEMPORAL_NAMESPACE: 'my-ns.abc12',
      TEMPORAL_API_KEY: 'secret-value',
    });
    assert.equal(temporalAddressExplicit, true);
    assert.equal(config.temporal.address, 'my-ns.tmprl.cloud:7233');
    assert.equal(config.temporal.namespace, 'my-ns.abc12');
    assert.equal(config.temporal.apiKeyEnv, 'TEMPORAL_API_KEY');
    assert.ok(!JSON.stringify(config).includes('secret-value'), 'the key itself never enters the config');
  });

  it("reads the temporal CLI's profiles (temporal.toml): the profile under the config file, the environment over both; the key stays in the profile", async () => {
    const toml = await file('temporal.toml', [
      '[profile.default]', 'address = "default.example:7233"', '',
      '[profile.prod]', 'address = "prod.example:7233"', 'namespace = "prod-ns"', 'api_key = "profile-secret"',
      '[profile.prod.tls]', `client_cert_path = "${join(dir, 'c.pem')}"`, `client_key_path = "${join(dir, 'k.pem')}"`, 'server_name = "prod.example"',
      '', '[profile.inline.tls]', 'client_cert_data = "-----BEGIN CERTIFICATE-----"', 'client_key_path = "/k.pem"', '',
    ].join('\n'));
    const byDefault = await loadConfig(undefined, { TEMPORAL_CONFIG_FILE: toml });
    assert.equal(byDefault.config.temporal.address, 'default.example:7233');
    assert.equal(byDefault.temporalAddressExplicit, true, 'a profile chooses the server: no dev server of ours');
    const prod = await loadConfig(undefined, { TEMPORAL_CONFIG_FILE: toml, TEMPORAL_PROFILE: 'prod' });
    assert.deepEqual(
      { ...prod.config.temporal, webUiUrl: undefined },
      { address: 'prod.example:7233', namespace: 'prod-ns', taskQueue: 'udn-demo', webUiUrl: undefined, apiKeyProfile: 'prod', tls: { clientCertPath: join(dir, 'c.pem'), clientKeyPath: join(dir, 'k.pem'), serverName: 'prod.example' } },
    );
    assert.ok(!JSON.stringify(prod.config).includes('profile-secret'), 'the key itself never enters the config');
    await writeFile(join(dir, 'c.pem'), 'cert');
    await writeFile(join(dir, 'k.pem'), 'key');
    assert.equal((await resolveConnectionOptions(prod.config.temporal, { TEMPORAL_CONFIG_FILE: toml })).apiKey, 'profile-secret', 'read where the connection is made');
    const yaml = await file('over-profile.yaml', 'temporal:\n  namespace: from-file\n  tls:\n    serverName: file.example\n');
    const layered = await loadConfig(yaml, { TEMPORAL_CONFIG_FILE: toml, TEMPORAL_PROFILE: 'prod', TEMPORAL_ADDRESS: 'env.example:7233', TEMPORAL_API_KEY: 'env-secret' });
    assert.equal(layered.config.temporal.address, 'env.example:7233', 'the environment over the file and the profile');
    assert.equal(layered.config.temporal.namespace, 'from-file', 'the file over the profile');
    assert.equal(layered.config.temporal.tls?.serverName, 'file.example');
    assert.equal(layered.config.temporal.tls?.clientCertPath, join(dir, 'c.pem'), 'tls keys merge one by one');
    assert.equal(layered.config.temporal.apiKeyEnv, 'TEMPORAL_API_KEY');
    await assert.rejects(loadConfig(undefined, { TEMPORAL_CONFIG_FILE: toml, TEMPORAL_PROFILE: 'staging' }), /^InputError: temporal CLI profile "staging" \(.*temporal\.toml\): Profile 'staging' not found in config data$/);
    await assert.rejects(loadConfig(undefined, { TEMPORAL_CONFIG_FILE: toml, TEMPORAL_PROFILE: 'inline' }), /^InputError: temporal CLI profile "inline": the client certificate is given inline; .*give its path instead$/);
  });

  it('resolves the sandbox faults file relative to the config file', async () => {
    const path = await file('faulty.yaml', 'sandbox:\n  faultsFile: faults/vm-b.yaml\n');
    assert.equal((await loadConfig(path, {})).config.sandbox.faultsFile, join(dir, 'faults', 'vm-b.yaml'));
  });

  it('treats an address in the file as explicit', async () => {
    const path = await file('addr.yaml', 'temporal:\n  address: temporal.internal:7233\n');
    assert.equal((await loadConfig(path, {})).temporalAddressExplicit, true);
  });

  it('links runs on Temporal Cloud to its Web UI, and takes the Web UI from UDN_DEMO_WEB_UI_URL or the file', async () => {
    const cloud = await loadConfig(undefined, { TEMPORAL_ADDRESS: 'my-ns.a1b2c.tmprl.cloud:7233', TEMPORAL_NAMESPACE: 'my-ns.a1b2c' });
    assert.equal(cloud.config.temporal.webUiUrl, 'https://cloud.temporal.io');
    assert.equal(workflowUrl(cloud.config.temporal, 'run-1'), 'https://cloud.temporal.io/namespaces/my-ns.a1b2c/workflows/run-1');
    assert.equal((await loadConfig(undefined, {})).config.temporal.webUiUrl, 'http://127.0.0.1:8233');
    assert.equal((await loadConfig(undefined, { TEMPORAL_ADDRESS: 'my-ns.a1b2c.tmprl.cloud:7233', UDN_DEMO_WEB_UI_URL: 'https://ui.example.com' })).config.temporal.webUiUrl, 'https://ui.example.com');
    const path = await file('ui.yaml', 'temporal:\n  address: my-ns.a1b2c.tmprl.cloud:7233\n  webUiUrl: https://temporal.example.org\n');
    assert.equal((await loadConfig(path, {})).config.temporal.webUiUrl, 'https://temporal.example.org');
  });

  const bad: [string, string | Buffer, RegExp][] = [
    ['unknown top-level key', 'clustr: {}\n', /Unrecognized key: "clustr"/],
    ['unknown nested key', 'scenario:\n  green:\n    namespace: green\n    subnet: 203.203.0.0/16\n    vlan: 3\n', /scenario\.green: Unrecognized key: "vlan"/],
    ['wrong type', 'scenario:\n  webserverPort: "9000"\n', /scenario\.webserverPort: .*number/],
    ['bad namespace name', 'scenario:\n  green:\n    namespace: Green_NS\n    subnet: 203.203.0.0/16\n', /scenario\.green\.namespace: must be a DNS-1123 label/],
    ['not a CIDR', 'scenario:\n  blue:\n    namespace: blue\n    subnet: 192.168.0.0\n', /scenario\.blue\.subnet: "192\.168\.0\.0" is not an IPv4 CIDR/],
    ['octet above 255', 'scenario:\n  blue:\n    namespace: blue\n    subnet: 192.300.0.0/16\n', /octet above 255/],
    ['host bits set', 'scenario:\n  blue:\n    namespace: blue\n    subnet: 192.168.1.0/16\n', /host bits set; the network is 192\.168\.0\.0\/16/],
    ['overlapping subnets', 'scenario:\n  blue:\n    namespace: blue\n    subnet: 203.203.128.0/17\n', /scenario\.blue\.subnet: 203\.203\.128\.0\/17 overlaps green's 203\.203\.0\.0\/16/],
    ['same namespace twice', 'scenario:\n  blue:\n    namespace: green\n    subnet: 192.168.0.0/16\n', /scenario\.blue\.namespace: must differ/],
    ['negative timeout', 'timeouts:\n  wait-green-ready: -5\n', /timeouts\.wait-green-ready: .*>0/],
    ['absurd timeout', 'timeouts:\n  wait-green-ready: 99999999\n', /timeouts\.wait-green-ready: .*<=21600/],
    ['timeout for an unknown step', 'timeouts:\n  wait-purple-ready: 10\n', /timeouts: Unrecognized key: "wait-purple-ready"/],
    ['same port twice', 'scenario:\n  newWebserverPort: 9000\n', /newWebserverPort: must differ from webserverPort/],
    ['port out of range', 'scenario:\n  webserverPort: 70000\n', /scenario\.webserverPort: .*<=65535/],
    ['migrating the client VM', 'scenario:\n  migration:\n    vm: vm-a\n', /scenario\.migration\.client: must differ/],
    ['unknown provider', 'cluster:\n  provider: minikube\n', /cluster\.provider: .*"kind"\|"sandbox"/],
    ['a list instead of a mapping', '- cluster\n- scenario\n', /expected a mapping of settings, got a list/],
    ['a scalar document', 'just some words\n', /expected a mapping of settings, got string/],
    ['invalid YAML', 'scenario: [unclosed\n', /not valid YAML/],
    ['binary bytes', Buffer.from([0x00, 0xff, 0x13, 0x37, 0x00]), /binary data, expected YAML/],
    ['address without port', 'temporal:\n  address: localhost\n', /temporal\.address: must be host:port/],
    ['API key variable name', 'temporal:\n  apiKeyEnv: "my key"\n', /temporal\.apiKeyEnv: must be an environment variable name/],
    ['retry attempts zero', 'retry:\n  maximumAttempts: 0\n', /retry\.maximumAttempts: .*>=1/],
  ];
  for (const [what, content, expected] of bad) {
    it(`rejects ${what} with one line naming the problem`, async () => {
      const path = await file(`bad-${what.replace(/\W+/g, '-')}.yaml`, content);
      const err = await loadConfig(path, {}).then(() => undefined, (e: unknown) => e);
      assert.ok(err instanceof InputError, `expected InputError, got ${String(err)}`);
      assert.equal(err.exitCode, 2);
      assert.match(err.message, expected);
      assert.ok(!err.message.includes('\n'), `one line: ${err.message}`);
      assert.ok(err.message.startsWith(`config ${path}: `), 'names the file');
    });
  }

  it('rejects a bad TEMPORAL_ADDRESS, naming where it came from', async () => {
    await assert.rejects(loadConfig(undefined, { TEMPORAL_ADDRESS: 'no-port' }), /^InputError: config \(defaults and TEMPORAL_\* environment\): temporal\.address: must be host:port$/);
  });

  it('rejects a missing file and an unreadable one', async () => {
    await assert.rejects(loadConfig(join(dir, 'nope.yaml'), {}), /config .*nope\.yaml: no such file/);
    await assert.rejects(loadConfig(dir, {}), /is a directory/);
    const locked = await file('locked.yaml', 'cluster: {}\n');
    await chmod(locked, 0o000);
    // root reads anything; the check only means something for other users.
    if (process.getuid?.() !== 0) await assert.rejects(loadConfig(locked, {}), /permission denied/);
  });
});

describe('config.example.yaml', () => {
  it('is valid and equal to the built-in defaults', async () => {
    const example = await loadConfig(new URL('../../config.example.yaml', import.meta.url).pathname, {});
    const defaults = await loadConfig(undefined, {});
    assert.deepEqual({ ...example.config, timeouts: {} }, defaults.config);
  });
});
