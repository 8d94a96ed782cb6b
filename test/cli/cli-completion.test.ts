import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { execa } from 'execa';
import { assertOneLineError, cli } from '../helpers/cli.ts';

/** The words bash offers after `line` (the last word is the one being completed), with udn-demo's own script loaded. */
async function offered(script: string, line: string[]): Promise<string[]> {
  const words = ['udn-demo', ...line].map((w) => `'${w}'`).join(' ');
  const probe = `source ${script}; COMP_WORDS=(${words}); COMP_CWORD=${line.length}; _udn_demo; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const r = await execa('bash', ['-c', probe]);
  return r.stdout.split('\n').filter(Boolean);
}

describe('udn-demo completion', { timeout: 60_000 }, () => {
  let script: string;
  before(async () => {
    const r = await cli(['completion', 'bash']);
    assert.equal(r.exitCode, 0, r.stderr);
    script = join(await mkdtemp(join(tmpdir(), 'udn-completion-')), 'udn-demo.bash');
    await writeFile(script, r.stdout);
  });

  it('bash completes commands, subcommands and each command\'s own flags, skipping ids and flag values', async () => {
    assert.deepEqual(await offered(script, ['ru']), ['run']);
    assert.deepEqual(await offered(script, ['run', '--sc']), ['--scenario']);
    assert.deepEqual(await offered(script, ['dev-server', 'st']), ['start', 'stop', 'status']);
    assert.deepEqual(await offered(script, ['status', 'udn-demo-sandbox-1', '--j']), ['--json']);
    assert.deepEqual(await offered(script, ['run', '-c', 'my.yaml', '--ta']), ['--take-over']);
    assert.deepEqual(await offered(script, ['teardown', '--sc']), [], 'teardown has no --scenario');
  });

  it('zsh gets the same, through bashcompinit; another shell is one line, exit 2', async () => {
    const zsh = await cli(['completion', 'zsh']);
    assert.equal(zsh.exitCode, 0);
    assert.match(zsh.stdout, /^#compdef udn-demo\n/);
    assert.match(zsh.stdout, /bashcompinit/);
    assert.match(zsh.stdout, /complete -o default -F _udn_demo udn-demo/);
    const fish = await cli(['completion', 'fish']);
    assert.equal(fish.exitCode, 2);
    assert.equal(assertOneLineError(fish), 'udn-demo: completion: the shell must be bash or zsh, got "fish"');
  });
});
