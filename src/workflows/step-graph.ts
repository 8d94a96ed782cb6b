/** A step as the graph sees it: what it needs to have finished first. */
export interface GraphStep {
  id: string;
  needs: readonly string[];
}

/**
 * The longest chain of steps through the graph, given each step's duration: the least makespan
 * any ordering can reach. Returns the chain and its total.
 */
export function criticalPath(steps: readonly GraphStep[], durationMs: Readonly<Record<string, number>>): { steps: string[]; totalMs: number } {
  const needs = new Map(steps.map((s) => [s.id, s.needs]));
  const memo = new Map<string, { steps: string[]; totalMs: number }>();
  const longestTo = (id: string): { steps: string[]; totalMs: number } => {
    const known = memo.get(id);
    if (known) return known;
    let best = { steps: [] as string[], totalMs: 0 };
    for (const need of needs.get(id) ?? []) {
      const path = longestTo(need);
      if (path.totalMs > best.totalMs) best = path;
    }
    const path = { steps: [...best.steps, id], totalMs: best.totalMs + (durationMs[id] ?? 0) };
    memo.set(id, path);
    return path;
  };
  return steps.map((s) => longestTo(s.id)).reduce((a, b) => (b.totalMs > a.totalMs ? b : a));
}

/**
 * Every step starts as soon as the steps it needs have finished (`ordering: fast`). A need that
 * is not among `steps` (a step this run left out) counts as finished.
 */
export async function runAsGraph(step: (id: string) => Promise<void>, steps: readonly GraphStep[]): Promise<void> {
  const needs = new Map(steps.map((s) => [s.id, s.needs]));
  const started = new Map<string, Promise<void>>();
  const start = (id: string): Promise<void> => {
    let running = started.get(id);
    if (!running) {
      running = Promise.all((needs.get(id) ?? []).filter((n) => needs.has(n)).map(start)).then(() => step(id));
      started.set(id, running);
    }
    return running;
  };
  await Promise.all(steps.map((s) => start(s.id)));
}
