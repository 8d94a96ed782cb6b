// `npm run build`, and `prepare` (npm runs it on `npm install` / `npm ci` in the clone): compiles
// src/ into dist/ with tsconfig.build.json and stamps dist/ with the digest of the sources it was
// built from; bin/udn-demo.js runs dist/ only while that digest still holds (bin/build-stamp.js).
// Plain JavaScript: it runs before anything is compiled.
import { spawnSync } from 'node:child_process';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { STAMP, compiledIsCurrent, sourcesDigest } from '../bin/build-stamp.js';

/** tsc, or nothing after `npm install --omit=dev` (no devDependencies): then the CLI runs the sources through tsx. */
function typescriptCompiler() {
  try {
    return createRequire(import.meta.url).resolve('typescript/bin/tsc');
  } catch {
    return undefined;
  }
}

const tsc = typescriptCompiler();
if (compiledIsCurrent()) {
  // `npm install` after `npm ci` (CI does both) need not compile the same sources again.
  process.stderr.write('build: dist/ is up to date with src/\n');
} else if (!tsc) {
  process.stderr.write('build: TypeScript is not installed (devDependencies omitted); the CLI runs the sources through tsx\n');
} else {
  // Taken before compiling: sources edited during the build leave the stamp stale, never wrong.
  const digest = sourcesDigest();
  // While tsc rewrites dist/, a CLI started meanwhile runs the sources.
  rmSync(STAMP, { force: true });
  const r = spawnSync(process.execPath, [tsc, '-p', fileURLToPath(new URL('../tsconfig.build.json', import.meta.url))], { stdio: 'inherit' });
  if (r.status === 0) {
    // Written aside and renamed: a CLI starting at that moment never reads half a stamp.
    const partial = fileURLToPath(STAMP) + `.${process.pid}`;
    writeFileSync(partial, digest);
    renameSync(partial, STAMP);
  } else {
    process.stderr.write('build: tsc failed; dist/ is not stamped, so the CLI runs the sources through tsx\n');
    process.exitCode = r.status ?? 1;
  }
}
