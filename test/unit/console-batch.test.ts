import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, openSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { BATCH_LINE_BYTES, BatchFrames, batchCleanup, batchFits, batchLine, batchMarker, type Framed } from '../../src/cluster/console/batch.ts';
import { probeCommand } from '../../src/cluster/probes/commands.ts';
import { Guest } from '../../src/sandbox/console/guest.ts';
import { runLine } from '../../src/sandbox/console/shell.ts';
import type { Probe } from '../../src/model/probe.ts';

const ID = 'a1b2c3d4e5f6';

/** What a person would type one by one; quoting hazards in the first, stderr and a failure in the second. */
const COMMANDS = [
  ['printf', '%s|', 'a b', "it's", '$HOME', 'x;false', '`id`'],
  ['cat', '/no/such/file'],
  ['printf', '%s', 'no newline'],
  ['false'],
  ['echo', 'last'],
];
const EXPECTED = [
  { output: "a b|it's|$HOME|x;false|`id`|", exitCode: 0 },
  { output: 'cat: /no/such/file: No such file or directory\n', exitCode: 1 },
  { output: 'no newline', exitCode: 0 },
  { output: '', exitCode: 1 },
  { output: 'last\n', exitCode: 0 },
];

/** Feeds `printed` to the frames the way GuestShell reads the console: marker by marker, each with what came before it. */
function frame(printed: string, count: number): Framed[] {
  const frames = new BatchFrames(count);
  const marker = batchMarker(ID);
  const out: Framed[] = [];
  let rest = printed;
  for (let m = marker.exec(rest); m && !frames.done; m = marker.exec(rest)) {
    out.push(...frames.marker(rest.slice(0, m.index), m));
    rest = rest.slice(m.index + m[0].length);
  }
  return out;
}

const strip = (fs: Framed[]) => fs.map((f) => ('missing' in f ? { missing: f.index } : { output: f.output, exitCode: f.exitCode }));

/** stdout and stderr to one file, in the order written, as on a serial console. */
async function realBash(line: string): Promise<string> {
  const file = join(await mkdtemp(join(tmpdir(), 'udn-batch-')), 'console');
  const fd = openSync(file, 'w');
  try {
    const bash = spawn('bash', ['--norc', '--noprofile', '-c', line], { stdio: ['ignore', fd, fd], env: { ...process.env, LC_ALL: 'C' } });
    await once(bash, 'exit');
  } finally {
    closeSync(fd);
  }
  return readFile(file, 'utf8');
}

/** What the emulated guest's console prints for `line`; `second`: ms of one second of guest time. */
async function emulated(line: string, second: number): Promise<string> {
  const g = new Guest('vm-a', { user: 'fedora', password: 'fedora' }, { self: () => undefined, world: () => ({ endpoints: [] }) as never, second, peer: () => undefined });
  g.user = 'fedora';
  let printed = '';
  await runLine(line, g, { out: (x) => (printed += x), err: (x) => (printed += x), signal: new AbortController().signal });
  assert.equal(g.files.size, 0, 'no files left behind');
  return printed;
}

describe('one command line for many commands (console batch)', () => {
  it('real bash: each command gets its own output and exit status, quoting intact, the line going on after a failure', async () => {
    assert.deepEqual(strip(frame(await realBash(batchLine(ID, COMMANDS)), COMMANDS.length)), EXPECTED);
  });

  it("the sandbox's emulated shell runs the same line the same way, side by side too", async () => {
    assert.deepEqual(strip(frame(await emulated(batchLine(ID, COMMANDS), 0), COMMANDS.length)), EXPECTED);
    const started = Date.now();
    const sleeps = [['sleep', '1'], ['sleep', '1'], ['sleep', '1']];
    assert.deepEqual(strip(frame(await emulated(batchLine(ID, sleeps), 300), 3)), sleeps.map(() => ({ output: '', exitCode: 0 })));
    assert.ok(Date.now() - started < 750, `${Date.now() - started} ms for three sleeps of 300 ms`);
  });

  it('real bash runs the commands side by side: three one-second sleeps take about one second, and leave no files behind', async () => {
    const started = Date.now();
    const sleeps = [['sleep', '1'], ['sleep', '1'], ['sleep', '1']];
    assert.deepEqual(strip(frame(await realBash(batchLine(ID, sleeps)), 3)), sleeps.map(() => ({ output: '', exitCode: 0 })));
    assert.ok(Date.now() - started < 2_500, `${Date.now() - started} ms`);
    await assert.rejects(readFile(`/tmp/udn-${ID}-0`));
  });

  it("an interrupted line's cleanup stops what still runs in the background and removes its files", { timeout: 5_000 }, async () => {
    const g = new Guest('vm-a', { user: 'fedora', password: 'fedora' }, { self: () => undefined, world: () => ({ endpoints: [] }) as never, second: 1_000, peer: () => undefined });
    const io = { out: () => undefined, err: () => undefined };
    await runLine(batchLine(ID, [['echo', 'quick'], ['sleep', '600']]), g, { ...io, signal: AbortSignal.timeout(100) });
    assert.equal(g.processes.size, 1, 'the sleep outlives the ^C, as a background job does');
    await runLine(batchCleanup(ID, 2), g, { ...io, signal: new AbortController().signal });
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual([g.processes.size, g.files.size], [0, 0]);
  });

  it('the echo of the line cannot pass for a marker', () => {
    assert.equal(batchMarker(ID).exec(batchLine(ID, COMMANDS)), null);
  });

  it('a command whose end marker is missing settles alone, without output; the ones after it keep theirs', async () => {
    const printed = await realBash(batchLine(ID, COMMANDS));
    const garbled = printed.replace(`__UDN${ID}-1E`, '__UD?');
    assert.deepEqual(strip(frame(garbled, COMMANDS.length)), [EXPECTED[0], { missing: 1 }, ...EXPECTED.slice(2)]);
  });

  it('a command whose begin marker is missing settles alone too: its output is not told apart from what came before', async () => {
    const printed = await realBash(batchLine(ID, COMMANDS));
    const garbled = printed.replace(`__UDN${ID}-2B`, '__UD?');
    assert.deepEqual(strip(frame(garbled, COMMANDS.length)), [...EXPECTED.slice(0, 2), { missing: 2 }, ...EXPECTED.slice(3)]);
  });

  it('a line stays under the tty limit: as many probes as fit, never none', () => {
    const ping: Probe = { from: { namespace: 'tenant-01', kind: 'VirtualMachineInstance', name: 'vm-a' }, to: { workload: { namespace: 'tenant-02', kind: 'VirtualMachineInstance', name: 'vm-b' } }, protocol: 'icmp', expect: 'deny' };
    const pings = Array.from({ length: 63 }, (_, i) => probeCommand(ping, `10.${i}.0.5`, 2));
    const n = batchFits(pings);
    assert.ok(n > 10 && n < 63, `${n} of 63 pings in one line`);
    assert.ok(Buffer.byteLength(batchLine(ID, pings.slice(0, n))) <= BATCH_LINE_BYTES);
    assert.ok(Buffer.byteLength(batchLine(ID, pings.slice(0, n + 1))) > BATCH_LINE_BYTES - 100);
    assert.equal(batchFits([['echo', 'x'.repeat(BATCH_LINE_BYTES)]]), 1);
  });
});
