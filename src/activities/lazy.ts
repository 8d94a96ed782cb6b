import { Context } from '@temporalio/activity';
import { keepAlive } from './heartbeat.ts';
import { ACTIVITY_NAMES, type DemoActivities, type Instrumented } from '../model/activities.ts';
import { checkInjectedFailures } from './injected-failures.ts';
import type { InjectedFailures } from './instrument.ts';

type AnyActivity = (...args: never[]) => Promise<unknown>;

/**
 * The real activities, instrumented, as the worker registers them, loaded when the first one runs:
 * their modules (the Kubernetes client, vega, the report writers) take about a second to load,
 * which a new worker would otherwise spend before its first poll (docs/PERFORMANCE.md,
 * "Start-up"). The names are known at once (ACTIVITY_NAMES), and so are injected failures of none.
 */
export function lazyActivities(inject: InjectedFailures = {}): Instrumented<DemoActivities> {
  checkInjectedFailures(inject, ACTIVITY_NAMES);
  let loaded: Promise<Record<string, AnyActivity>> | undefined;
  const load = () =>
    (loaded ??= Promise.all([import('./index.ts'), import('./instrument.ts')]).then(
      ([{ createActivities }, { instrument }]) => instrument(createActivities(), inject) as unknown as Record<string, AnyActivity>,
    ));
  // The first call waits for the load: it beats meanwhile, or a slow load (a loaded machine) would
  // pass the heartbeat timeout and the server would retry an attempt that was only loading.
  const loadAlive = async () => {
    if (loaded) return loaded;
    const stop = keepAlive(Context.current());
    try {
      return await load();
    } finally {
      stop();
    }
  };
  // Each keeps its name, as instrument() does.
  const entries = ACTIVITY_NAMES.map((name) => [name, { async [name](...args: never[]) { return (await loadAlive())[name]!(...args); } }[name]]);
  return Object.fromEntries(entries) as Instrumented<DemoActivities>;
}
