import { mkdir } from 'node:fs/promises';
import { execa } from 'execa';
import { toolOptions } from '../../../host/tool-env.ts';

/**
 * ovn-kubernetes at exactly `commit` in `dir`: an existing checkout at that commit is reused,
 * anything else is fetched (shallow, just that commit) and checked out.
 */
export async function ensureCheckout(dir: string, repo: string, commit: string, env: NodeJS.ProcessEnv, progress: (line: string) => void, signal?: AbortSignal): Promise<'reused' | 'fetched'> {
  const git = async (...args: string[]) => {
    const r = await execa('git', ['-C', dir, ...args], { ...toolOptions(env), reject: false, stdin: 'ignore', cancelSignal: signal });
    signal?.throwIfAborted();
    return r;
  };
  const head = await git('rev-parse', 'HEAD');
  if (head.exitCode === 0 && head.stdout.trim() === commit) {
    progress(`ovn-kubernetes checkout at ${commit.slice(0, 12)} reused (${dir})`);
    return 'reused';
  }
  await mkdir(dir, { recursive: true });
  progress(`fetching ovn-kubernetes ${commit.slice(0, 12)} from ${repo}`);
  for (const args of [['init', '-q'], ['remote', 'remove', 'origin'], ['remote', 'add', 'origin', repo], ['fetch', '--depth', '1', 'origin', commit], ['checkout', '-q', '--force', 'FETCH_HEAD']]) {
    const r = await git(...args);
    // `remote remove` fails on a fresh repository; every other step must succeed.
    if (r.exitCode !== 0 && args[1] !== 'remove') throw new Error(`git ${args.join(' ')} failed: ${(r.stderr || r.stdout).trim().split('\n').at(-1)}`);
  }
  return 'fetched';
}
