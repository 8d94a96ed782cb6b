import { Guest, type GuestContext } from '../console/guest.ts';
import type { Io } from '../console/io.ts';
import { curl, ping } from '../console/net-tools.ts';
import { OUTSIDE_NETWORK, type Endpoint } from '../dataplane/reachability.ts';

/**
 * kind.sh's client container (`lbclient`, on its own docker network `clientnet`, 172.22.0.0/16,
 * routed to kind's nodes through the frr container): where the talk curls node ports and
 * MetalLB's addresses from. It holds no route to pod or UDN addresses.
 */
export const OUTSIDE_HOST: Endpoint = {
  namespace: '',
  name: 'lbclient',
  kind: 'Host',
  labels: {},
  network: OUTSIDE_NETWORK,
  ip: '172.22.0.2',
  node: '',
  mtu: 1500,
  migrating: false,
  listening: [],
};
export const OUTSIDE_HOST_NAME = `the sandbox's outside host (${OUTSIDE_HOST.name}, ${OUTSIDE_HOST.ip})`;

/** What the client container runs that udn-demo uses: the guests' curl and ping, against the same data plane. */
const TOOLS: Record<string, (args: string[], g: Guest, io: Io) => Promise<number>> = { curl, ping };

export interface OutsideRun {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** Runs argument vectors on the outside host, as `docker exec lbclient ARGV…` would (root, no shell). */
export function outsideHost(ctx: Omit<GuestContext, 'self'>): (argv: readonly string[], signal: AbortSignal) => Promise<OutsideRun> {
  const host = new Guest(OUTSIDE_HOST.name, { user: 'root', password: '' }, { ...ctx, self: () => OUTSIDE_HOST });
  host.user = 'root';
  return async (argv, signal) => {
    const [exe, ...args] = argv;
    const tool = TOOLS[exe ?? ''];
    // docker exec's answer for anything the image does not have.
    if (!tool) return { stdout: '', stderr: `OCI runtime exec failed: exec failed: unable to start container process: exec: "${exe ?? ''}": executable file not found in $PATH: unknown\n`, exitCode: 127 };
    let stdout = '';
    let stderr = '';
    const exitCode = await tool(args, host, { out: (s) => (stdout += s), err: (s) => (stderr += s), signal });
    return { stdout, stderr, exitCode };
  };
}
