/**
 * Steps that only wait, for the orchestration benchmark's floor: what Temporal itself costs per
 * activity round trip on this machine, with none of our workflow code, activities or payloads.
 */
import { proxyActivities } from '@temporalio/workflow';

const { noop } = proxyActivities<{ noop(): Promise<void> }>({ startToCloseTimeout: '1 minute' });

export async function NoopSteps(steps: number): Promise<void> {
  for (let i = 0; i < steps; i++) await noop();
}
