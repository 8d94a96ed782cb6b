import type { DemoActivities } from './types.ts';
import { ensureCluster, preflight } from './cluster.ts';
import { applyManifests, discoverAddresses, migrateVmi, waitReady } from './kubernetes.ts';
import { NotImplementedError } from './instrument.ts';
import { runProbes } from './probes.ts';

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
    startTraffic: pending('the iperf3/ping traffic of the migration experiment', 'issue [5/8]'),
    migrateVmi,
    collectTraffic: pending('traffic collection and analysis', 'issue [5/8]'),
    writeReport: pending('the run report', 'issue [5/8]'),
  };
}
