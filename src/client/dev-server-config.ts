/**
 * Dynamic config every dev server we start gets: the embedded one (`udn-demo dev-server`, `run
 * --sandbox`), the tests' and the benchmarks'. The server's defaults are for a shared cluster;
 * these are for one person's demo on one machine.
 */
export const DEV_SERVER_DYNAMIC_CONFIG: Readonly<Record<string, boolean>> = {
  // The worker that completes a workflow task gets the activity it schedules in the reply and
  // starts it at once, instead of the activity waiting for a poll through matching: one round
  // trip less per step (docs/PERFORMANCE.md, "Orchestration"). The SDK asks for it by default;
  // Temporal's server only grants it where this is on (off by default, also in `start-dev`).
  'system.enableActivityEagerExecution': true,
};

/** `temporal server start-dev` flags for DEV_SERVER_DYNAMIC_CONFIG. */
export function dynamicConfigArgs(): string[] {
  return Object.entries(DEV_SERVER_DYNAMIC_CONFIG).flatMap(([key, value]) => ['--dynamic-config-value', `${key}=${JSON.stringify(value)}`]);
}
