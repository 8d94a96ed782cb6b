import { setTimeout as sleep } from 'node:timers/promises';
import { resolveName } from '../dataplane/internet.ts';
import { reach, type Endpoint, type World } from '../dataplane/reachability.ts';

export interface ContainerRun {
  stdout: string;
  stderr: string;
  /** undefined when the runtime could not start the executable at all. */
  exitCode: number | undefined;
}

/**
 * What an agnhost container can run for the exec API: `agnhost connect HOST:PORT` (the
 * Kubernetes network-policy e2e's probe, with its TIMEOUT / REFUSED / DNS / OTHER / UNKNOWN
 * answers on stderr) and `hostname`.
 */
export async function runInAgnhost(argv: string[], self: Endpoint, world: () => World, second: number): Promise<ContainerRun> {
  const [exe, ...args] = argv;
  if (exe === 'hostname') return { stdout: `${self.name}\n`, stderr: '', exitCode: 0 };
  if ((exe === '/agnhost' || exe === 'agnhost') && args[0] === 'connect') return connect(args.slice(1), self, world, second);
  if (exe === '/agnhost' || exe === 'agnhost') return { stdout: '', stderr: `Error: unknown command "${args[0] ?? ''}" for "agnhost"\n`, exitCode: 1 };
  return { stdout: '', stderr: '', exitCode: undefined };
}

async function connect(args: string[], self: Endpoint, world: () => World, second: number): Promise<ContainerRun> {
  const flag = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const dest = args.find((a) => !a.startsWith('--'));
  const protocol = flag('protocol') ?? 'tcp';
  const timeout = parseDuration(flag('timeout') ?? '0s');
  const m = dest ? /^([^:]+):(\d+)$/.exec(dest) : null;
  if (!m || timeout === undefined) return { stdout: '', stderr: `UNKNOWN: address ${dest ?? ''}: missing port in address\n`, exitCode: 1 };
  if (protocol !== 'tcp') return { stdout: '', stderr: `Unsupported protocol\n${protocol}`, exitCode: 1 };
  const address = resolveName(m[1]!);
  if (!address) return { stdout: '', stderr: `DNS: lookup ${m[1]}: no such host\n`, exitCode: 1 };
  const outcome = reach(world(), self, address, 'TCP', Number(m[2]));
  if (outcome.kind === 'reached') return { stdout: '', stderr: '', exitCode: 0 };
  if (outcome.kind === 'refused') return { stdout: '', stderr: 'REFUSED\n', exitCode: 1 };
  await sleep(Math.max(1, (timeout || 130) * second));
  return { stdout: '', stderr: 'TIMEOUT\n', exitCode: 1 };
}

/** Go durations as agnhost takes them: 1s, 500ms, 2m. Undefined when unreadable. */
function parseDuration(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]);
  return m[2] === 'ms' ? n / 1000 : m[2] === 'm' ? n * 60 : n;
}
