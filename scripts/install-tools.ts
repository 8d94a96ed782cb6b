/**
 * Finds, downloads (the official releases, sha256-checked) or, where that cannot happen, builds
 * the external binaries udn-demo needs (the Temporal CLI; etcd, kube-apiserver and
 * kube-controller-manager for the sandbox) and caches them in the user cache dir, outside the
 * clone, so CI and later runs reuse them. Safe to run again: found tools are kept.
 * UDN_DEMO_OFFLINE=1 skips the downloads (CI sets it: it builds from the pinned Go modules).
 *   npm run setup
 */
import { locateTemporalCli } from '../src/client/temporal-binary.ts';
import { errorMessage } from '../src/errors.ts';
import { locateControlPlaneBinaries } from '../src/sandbox/binaries.ts';

try {
  const started = Date.now();
  await locateTemporalCli();
  await locateControlPlaneBinaries();
  process.stderr.write(`tools ready in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
} catch (err) {
  process.stderr.write(`setup: ${errorMessage(err)}\n`);
  process.exitCode = 3;
}
