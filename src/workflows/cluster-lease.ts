import { CancellationScope, patched, workflowInfo } from '@temporalio/workflow';
import type { Attempted, LeaseClaim } from '../model/activities.ts';
import type { ClusterRef } from '../model/cluster.ts';
import { activitiesFor, cleanupActivities } from './activity-options.ts';
import type { DemoInput } from './demo-input.ts';

/**
 * The run's hold on its cluster (a Lease named by its workflow id), from its first change to the
 * cluster to its end, so a second run fails fast instead of deleting this one's objects.
 */
export class ClusterHold {
  private claim: Promise<Attempted<LeaseClaim>> | undefined;
  private cluster: ClusterRef | undefined;

  constructor(private readonly input: Pick<DemoInput, 'timeouts' | 'retry' | 'takeOver'>) {}

  /**
   * Claims once, however many steps ask (steps of the fast ordering may ask at once). Undefined
   * in runs recorded before there was a Lease: they replay without one.
   */
  take(cluster: ClusterRef, step: string): Promise<Attempted<LeaseClaim>> | undefined {
    if (!this.claim && patched('cluster-lease')) {
      const { takeOver } = this.input;
      this.claim = activitiesFor(this.input, step, 'claim the cluster for this run')
        .claimCluster({ cluster, holder: workflowInfo().workflowId, ...(takeOver ? { takeOver } : {}) })
        .then((claimed) => {
          this.cluster = cluster;
          return claimed;
        });
    }
    return this.claim;
  }

  /** Lets go at the run's end, even a cancelled one; a Lease left behind names an ended run, which `--take-over` replaces. */
  async release(): Promise<void> {
    const cluster = this.cluster;
    if (!cluster) return;
    await CancellationScope.nonCancellable(async () => {
      try {
        await cleanupActivities(this.input, 'let go of the cluster').releaseCluster({ cluster, holder: workflowInfo().workflowId });
      } catch {
        // Recorded in the history as the activity's failure; the run's own outcome stands.
      }
    });
  }
}
