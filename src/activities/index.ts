import type { DemoActivities } from './types.ts';
import { ensureCluster, preflight } from './cluster.ts';
import { applyManifests, discoverAddresses, migrateVmi, waitReady } from './kubernetes.ts';
import { NotImplementedError } from './instrument.ts';
import { runProbes } from './probes.ts';
import { collectTraffic, startTraffic } from './traffic.ts';

/**
 * The activity bodies the worker registers. Each is replaced by its real implementation in the
 * issue named; until then it refuses, so a run stops at that step and says why.
 */
export function createActivities(): DemoActivities {
  const pending = (what: string, issue: string) => async (): Promise<never> => {
    throw new NotImplementedError(what, issue);
  };
  return {
    preflight,
    ensureCluster,
    applyManifests,
    waitReady,
    discoverAddresses,
    runProbes,
    startTraffic,
    migrateVmi,
    collectTraffic,
    writeReport: pending('the run report', 'issue [5/8]'),
  };
}
