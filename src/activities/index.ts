import type { DemoActivities } from '../model/activities.ts';
import { cleanupRun } from './cleanup.ts';
import { ensureCluster, preflight } from './cluster.ts';
import { applyManifests, discoverAddresses, migrateVmi, waitReady } from './kubernetes.ts';
import { claimCluster, releaseCluster } from './lease.ts';
import { inspectGuestNetwork } from './guest-network.ts';
import { startGuestServer, stopGuestServer } from './guest-server.ts';
import { discoverServices } from './services.ts';
import { runProbes } from './probes.ts';
import { writeReport } from './report.ts';
import { collectTraffic, startTraffic } from './traffic.ts';

/** The activity bodies the worker registers. */
export function createActivities(): DemoActivities {
  return { preflight, ensureCluster, applyManifests, waitReady, discoverAddresses, runProbes, inspectGuestNetwork, discoverServices, startGuestServer, stopGuestServer, startTraffic, migrateVmi, collectTraffic, writeReport, cleanupRun, claimCluster, releaseCluster };
}
