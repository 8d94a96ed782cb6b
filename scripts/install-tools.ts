/**
 * Finds or builds the external binaries udn-demo needs and caches them in the user cache dir
 * (outside the clone), so CI and later runs reuse them. Safe to run again: found tools are kept.
 *   npm run setup
 */
import { locateTemporalCli } from '../src/client/temporal-binary.ts';
import { errorMessage } from '../src/errors.ts';

try {
  const started = Date.now();
  await locateTemporalCli();
  process.stderr.write(`tools ready in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
} catch (err) {
  process.stderr.write(`setup: ${errorMessage(err)}\n`);
  process.exitCode = 3;
}
