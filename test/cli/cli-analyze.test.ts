import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { cli } from '../helpers/cli.ts';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/captures/${name}`, import.meta.url));

/** `udn-demo analyze` on real captures (test/fixtures/captures/README.md says how each was made). */
describe('udn-demo analyze', () => {
  it('a paused server: survived, downtime ≈ the 1.575 s pause at 100 ms resolution; exit 0', async () => {
    const r = await cli(['analyze', '--json', fixture('iperf3-pause-i0.1.json')]);
    assert.equal(r.exitCode, 0, r.stderr);
    const [v] = JSON.parse(r.stdout) as Record<string, unknown>[];
    assert.deepEqual(Object.keys(v!).sort(), ['downtimeMs', 'error', 'file', 'kind', 'resolutionMs', 'retransmits', 'survived', 'throughputAfterGbps', 'throughputBeforeGbps'].sort());
    assert.equal(v!.kind, 'iperf3');
    assert.equal(v!.survived, true);
    assert.equal(v!.resolutionMs, 100);
    assert.ok(Math.abs((v!.downtimeMs as number) - 1575) <= 125, `downtime ${v!.downtimeMs}`);
  });

  it('a killed server breaks the connection even though iperf3 --json exited 0: exit 1, the error named', async () => {
    const r = await cli(['analyze', fixture('iperf3-pause-i0.1.txt'), fixture('iperf3-kill.json')]);
    assert.equal(r.exitCode, 1);
    const [paused, killed] = r.stdout.trim().split('\n');
    assert.match(paused!, /iperf3-pause-i0\.1\.txt: iperf3 SURVIVED; longest gap 1\d{3} ms at 100 ms resolution/);
    assert.match(killed!, /iperf3-kill\.json: iperf3 BROKE \(control socket has closed unexpectedly\)/);
  });

  it('ping -D with a known 1.02 s gap; a capture stopped with ^C is not "broken"', async () => {
    const r = await cli(['analyze', '--json', fixture('ping-drop-i0.01.txt'), fixture('iperf3-interrupted.json')]);
    assert.equal(r.exitCode, 0, r.stdout);
    const [ping, interrupted] = JSON.parse(r.stdout) as { kind: string; survived: boolean; downtimeMs: number; resolutionMs: number }[];
    assert.equal(ping!.kind, 'ping');
    assert.ok(Math.abs(ping!.downtimeMs - 1023) <= ping!.resolutionMs + 25, `ping downtime ${ping!.downtimeMs} at ${ping!.resolutionMs}`);
    assert.equal(interrupted!.survived, true);
  });

  it('unreadable input: exit 2 and the problem named, other files still judged', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'udn-analyze-'));
    await writeFile(join(dir, 'prose.txt'), 'The migration went fine, I think.\n');
    await writeFile(join(dir, 'empty.txt'), '');
    const r = await cli(['analyze', join(dir, 'prose.txt'), join(dir, 'empty.txt'), join(dir, 'missing.json'), fixture('iperf3-pause-i1.txt')]);
    assert.equal(r.exitCode, 2);
    const lines = r.stdout.trim().split('\n');
    assert.match(lines[0]!, /prose\.txt: unreadable: neither iperf3 nor ping output/);
    assert.match(lines[1]!, /empty\.txt: unreadable: empty/);
    assert.match(lines[2]!, /missing\.json: unreadable: no such file/);
    assert.match(lines[3]!, /iperf3-pause-i1\.txt: iperf3 SURVIVED/);
    assert.equal(r.stderr, '');
  });
});
