import { STEP_IDS, type StepId } from '../config/steps.ts';

/**
 * What each step needs to have finished first: the demo's real data and state dependencies, not
 * the seed's presentation order. The policy comes after every check that must see the world
 * without it (port 9000 open, the migration's iperf3 port, isolation by network alone).
 */
export const STEP_NEEDS: Readonly<Record<StepId, readonly StepId[]>> = {
  preflight: [],
  'ensure-cluster': ['preflight'],
  'apply-green-network': ['ensure-cluster'],
  'apply-green-workloads': ['apply-green-network'],
  'wait-green-ready': ['apply-green-workloads'],
  'discover-addresses': ['wait-green-ready'],
  'check-east-west': ['discover-addresses'],
  'check-egress': ['discover-addresses'],
  'live-migration': ['discover-addresses'],
  'apply-blue': ['ensure-cluster'],
  'wait-blue-ready': ['apply-blue'],
  'check-isolation': ['discover-addresses', 'wait-blue-ready'],
  'check-netpol-baseline': ['discover-addresses'],
  'apply-netpol': ['check-east-west', 'check-egress', 'live-migration', 'check-isolation', 'check-netpol-baseline'],
  'check-netpol-blocks': ['apply-netpol'],
  // The first green apply removes an earlier run's new-webserver, so this one comes after it.
  'apply-new-webserver': ['apply-green-network'],
  'check-netpol-allows': ['apply-netpol', 'apply-new-webserver'],
  report: [
    'check-east-west',
    'check-egress',
    'live-migration',
    'check-isolation',
    'check-netpol-baseline',
    'check-netpol-blocks',
    'check-netpol-allows',
  ],
};

/**
 * The longest chain of steps through the graph, given each step's duration: the least makespan
 * any ordering can reach. Returns the chain and its total.
 */
export function criticalPath(durationMs: Readonly<Record<StepId, number>>): { steps: StepId[]; totalMs: number } {
  const memo = new Map<StepId, { steps: StepId[]; totalMs: number }>();
  const longestTo = (id: StepId): { steps: StepId[]; totalMs: number } => {
    const known = memo.get(id);
    if (known) return known;
    let best = { steps: [] as StepId[], totalMs: 0 };
    for (const need of STEP_NEEDS[id]) {
      const path = longestTo(need);
      if (path.totalMs > best.totalMs) best = path;
    }
    const path = { steps: [...best.steps, id], totalMs: best.totalMs + durationMs[id] };
    memo.set(id, path);
    return path;
  };
  return (Object.keys(STEP_NEEDS) as StepId[]).map(longestTo).reduce((a, b) => (b.totalMs > a.totalMs ? b : a));
}

/** Every step starts as soon as the steps it needs have finished (`ordering: fast`). */
export async function runAsGraph(step: (id: StepId) => Promise<void>, needs: Readonly<Record<StepId, readonly StepId[]>> = STEP_NEEDS): Promise<void> {
  const started = new Map<StepId, Promise<void>>();
  const start = (id: StepId): Promise<void> => {
    let running = started.get(id);
    if (!running) {
      running = Promise.all(needs[id].map(start)).then(() => step(id));
      started.set(id, running);
    }
    return running;
  };
  await Promise.all(STEP_IDS.map(start));
}
