#!/usr/bin/env node
// The compiled CLI (dist/, built by `npm install` through the `prepare` script, or `npm run build`)
// when it was built from the sources as they are now (see build-stamp.js); otherwise the TypeScript
// sources through tsx, so a clone or an edit of src/ runs as it is with no build step, only a slower
// start (tsx compiles each module as it loads it: `--help` ~1 s instead of ~0.2 s, a worker
// several seconds). `npm run build` makes it fast again.
import { compiledIsCurrent } from './build-stamp.js';

async function fromSources() {
  const { register } = await import('tsx/esm/api');
  register();
  return import('../src/cli/main.ts');
}

const { main } = compiledIsCurrent() ? await import('../dist/cli/main.js') : await fromSources();
await main(process.argv);
