import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { freePort } from '../../src/host/free-port.ts';
import { assertOneLineError, cli } from '../helpers/cli.ts';

describe('udn-demo usage and input errors (no server needed)', { timeout: 300_000 }, () => {
  it('--help lists every command, and each command has its own --help', async () => {
    const top = await cli(['--help']);
    assert.equal(top.exitCode, 0);
    for (const cmd of ['run', 'worker', 'status', 'list', 'dev-server']) assert.match(top.stdout, new RegExp(`\\n  ${cmd} `));
    for (const cmd of [['run'], ['worker'], ['status'], ['list'], ['dev-server', 'start'], ['dev-server', 'stop'], ['dev-server', 'status']]) {
      const r = await cli([...cmd, '--help']);
      assert.equal(r.exitCode, 0, cmd.join(' '));
      assert.match(r.stdout, /^Usage: udn-demo /);
    }
    assert.match((await cli(['run', '--help'])).stdout, /Exit codes: 0 all checks passed, 1 a check failed, 2 usage\/config\/input error, 3 infrastructure error/);
  });

  it('--version and -V print the package version; --help starts with the usage line', async () => {
    const { version } = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const r = await cli([flag]);
      assert.equal(r.exitCode, 0, r.stderr);
      assert.equal(r.stdout, version);
    }
    assert.match((await cli(['--help'])).stdout.split('\n')[0]!, /^Usage: udn-demo \[options\] \[command\]$/);
  });

  const cases: [string, string[], RegExp][] = [
    ['an unknown command', ['bogus'], /^udn-demo: unknown command 'bogus' \(see --help\)$/],
    ['an unknown option', ['run', '--sandbx'], /^udn-demo: unknown option '--sandbx'/],
    ['a missing argument', ['status'], /^udn-demo: missing required argument 'workflowId'/],
    ['a missing config file', ['run', '--config', '/nonexistent/udn.yaml'], /^udn-demo: config \/nonexistent\/udn\.yaml: no such file$/],
    ['a malformed workflow id', ['run', '--workflow-id', 'has spaces in it'], /^udn-demo: workflow id "has spaces in it" must be/],
    ['a malformed workflow id for status', ['status', '../../etc'], /^udn-demo: workflow id "\.\.\/\.\.\/etc" must be/],
    ['a bad --limit', ['list', '--limit', 'many'], /^udn-demo: --limit must be a whole number from 1 to 1000, got "many"$/],
  ];
  for (const [what, args, expected] of cases) {
    it(`exits 2 with one line for ${what}`, async () => {
      const r = await cli(args);
      assert.equal(r.exitCode, 2, r.stderr);
      assert.match(assertOneLineError(r), expected);
      assert.equal(r.stdout, '');
    });
  }

  it('exits 3 with one line when the configured Temporal server is unreachable', async () => {
    const port = await freePort();
    const r = await cli(['run', '--sandbox'], { TEMPORAL_ADDRESS: `127.0.0.1:${port}` });
    assert.equal(r.exitCode, 3, r.stderr);
    assert.match(r.stderr, new RegExp(`udn-demo: cannot reach the Temporal server at 127\\.0\\.0\\.1:${port}`));
    assert.ok(!/\n\s+at /.test(r.stderr), r.stderr);
  });
});
