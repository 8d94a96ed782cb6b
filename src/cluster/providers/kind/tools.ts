import { atLeast } from '../../../host/version.ts';
import { statfs } from 'node:fs/promises';
import { totalmem } from 'node:os';
import { execa } from 'execa';
import { toolOptions } from '../../../host/tool-env.ts';
import type { KindConfig } from '../../../config/schema.ts';
import type { ToolCheck } from '../types.ts';

interface ToolSpec {
  name: string;
  argv: string[];
  /** Pulls the version out of the tool's answer. */
  version?: RegExp;
  min?: string;
  hint: string;
}

/**
 * What contrib/kind.sh (the demo's era) needs, in the order a person should fix them: the
 * container engine first, since nothing else matters without it.
 */
export function kindTools(kind: KindConfig): ToolSpec[] {
  return [
    { name: 'docker engine', argv: ['docker', 'info', '--format', '{{.ServerVersion}}'], version: /^(\d+\.\d+(\.\d+)?)/, min: '20.10', hint: 'no Docker engine answers; install Docker Engine (https://docs.docker.com/engine/install/) and start it (`sudo systemctl start docker`); kind.sh\'s MetalLB setup needs docker itself' },
    { name: 'kind', argv: ['kind', 'version'], version: /v(\d+\.\d+\.\d+)/, min: '0.20.0', hint: '`go install sigs.k8s.io/kind@v0.27.0` or https://kind.sigs.k8s.io/docs/user/quick-start/#installation' },
    { name: 'kubectl', argv: ['kubectl', 'version', '--client'], version: /v(\d+\.\d+\.\d+)/, min: '1.28.0', hint: 'https://kubernetes.io/docs/tasks/tools/' },
    { name: 'git', argv: ['git', '--version'], version: /(\d+\.\d+\.\d+)/, hint: 'your package manager (apt install git)' },
    { name: 'jq', argv: ['jq', '--version'], version: /(\d+\.\d+(\.\d+)?)/, hint: 'apt install jq' },
    { name: 'curl', argv: ['curl', '--version'], version: /curl (\d+\.\d+\.\d+)/, hint: 'apt install curl' },
    { name: 'wget', argv: ['wget', '--version'], version: /Wget (\d+\.\d+(\.\d+)?)/, hint: 'apt install wget' },
    { name: 'awk', argv: ['awk', 'BEGIN { print "ok" }'], hint: 'apt install gawk' },
    { name: 'python3 with pip', argv: ['python3', '-m', 'pip', '--version'], version: /pip (\d+\.\d+(\.\d+)?)/, hint: 'apt install python3-pip (kind.sh installs jinjanate with pip)' },
    ...(kind.ovnImage ? [] : [{ name: 'go', argv: ['go', 'version'], version: /go(\d+\.\d+(\.\d+)?)/, min: '1.22', hint: 'https://go.dev/dl/ (builds the OVN-Kubernetes image), or set cluster.kind.ovnImage to a prebuilt image' }]),
  ];
}

/** Checks every tool (each with a short timeout) and the machine's room; reports all at once. */
export async function checkKindTools(kind: KindConfig, env: NodeJS.ProcessEnv, dataDir: string): Promise<ToolCheck[]> {
  const checks = await Promise.all(kindTools(kind).map((t) => checkTool(t, env)));
  const freeDisk = async () => {
    const fs = await statfs(dataDir).catch(() => statfs('/'));
    return (fs.bavail * fs.bsize) / 2 ** 30;
  };
  checks.push(await roomFor('free disk', freeDisk, 20, 'GiB', 'kind node images, the OVN-Kubernetes build and VM disks need about 20 GiB'));
  checks.push(await roomFor('memory', async () => totalmem() / 2 ** 30, 8, 'GiB', 'three kind nodes and two Fedora VMs (2 GiB each) need about 8 GiB'));
  return checks;
}

async function checkTool(t: ToolSpec, env: NodeJS.ProcessEnv): Promise<ToolCheck> {
  const [cmd, ...args] = t.argv;
  const r = await execa(cmd!, args, { ...toolOptions(env), reject: false, timeout: 10_000, stdin: 'ignore' }).catch(() => undefined);
  if (!r || r.exitCode !== 0) {
    const why = r?.failed && (r as { code?: string }).code === 'ENOENT' ? 'not found' : r ? `\`${t.argv.join(' ')}\` failed` : 'not found';
    return { name: t.name, found: false, hint: `${why}: ${t.hint}` };
  }
  const version = t.version?.exec(`${r.stdout}\n${r.stderr}`)?.[1];
  if (t.min && version && !atLeast(version, t.min)) return { name: t.name, found: false, version, hint: `version ${version} is older than ${t.min}: ${t.hint}` };
  return { name: t.name, found: true, ...(version ? { version } : {}) };
}

async function roomFor(name: string, measure: () => Promise<number>, min: number, unit: string, why: string): Promise<ToolCheck> {
  const have = await measure().catch(() => Number.NaN);
  const version = `${have.toFixed(1)} ${unit}`;
  return have >= min || Number.isNaN(have) ? { name, found: true, version } : { name, found: false, version, hint: `${version} available, ${min} ${unit} wanted: ${why}` };
}
