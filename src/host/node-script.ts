import { fileURLToPath } from 'node:url';

/** This module runs compiled (dist/*.js, see bin/udn-demo.js) or from the sources through tsx, and so does its caller. */
const compiled = import.meta.url.endsWith('.js');

/**
 * `node`'s arguments to run one of our modules as a script in a process of its own, the way this
 * process runs: its compiled file when we run compiled, else its TypeScript source through tsx.
 * `source` is the module's .ts file beside the caller: `new URL('./supervisor.ts', import.meta.url)`.
 */
export function nodeScript(source: URL): string[] {
  if (compiled) return [fileURLToPath(new URL(source.href.replace(/\.ts$/, '.js')))];
  return ['--import', import.meta.resolve('tsx'), fileURLToPath(source)];
}
