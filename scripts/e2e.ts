/**
 * The full demo on a real kind cluster (ovn-kubernetes' kind.sh, KubeVirt, MetalLB):
 *   npm run e2e [-- -c config.yaml]
 * Where the tools are missing (no Docker engine, no kind, …) it says what is missing and exits 0
 * without claiming a pass. Otherwise it runs `udn-demo run` and exits with its code.
 */
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { checkKindTools } from '../src/cluster/providers/kind/tools.ts';
import { paths } from '../src/config/paths.ts';
import { loadConfig } from '../src/config/load.ts';

const args = process.argv.slice(2);
const at = args.findIndex((a) => a === '-c' || a === '--config');
const { config } = await loadConfig(at >= 0 ? args[at + 1] : undefined);
const missing = (await checkKindTools(config.cluster.kind, process.env, paths.dataDir)).filter((t) => !t.found);
if (missing.length > 0) {
  process.stdout.write(`skipped: ${missing.map((t) => t.name).join(', ')} missing (${missing[0]!.hint}); nothing was run, nothing is claimed\n`);
  process.exit(0);
}
const bin = fileURLToPath(new URL('../bin/udn-demo.js', import.meta.url));
const r = await execa(process.execPath, [bin, 'run', ...args], { stdio: 'inherit', reject: false });
process.exit(r.exitCode ?? 1);
