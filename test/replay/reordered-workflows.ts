/**
 * A deliberately non-deterministic variant of DemoWorkflow: blue's rollout moved before the
 * east/west check. The replay test proves the committed histories catch such a change.
 */
import { patched } from '@temporalio/workflow';
import { NARRATIVE_ORDER, runDemo } from '../../src/workflows/demo-workflow.ts';
import type { DemoInput } from '../../src/workflows/demo-input.ts';

export { LiveMigrationWorkflow } from '../../src/workflows/live-migration-workflow.ts';

export const REORDERED = NARRATIVE_ORDER.map((id) => (id === 'check-east-west' ? 'apply-blue' : id === 'apply-blue' ? 'check-east-west' : id));

export async function DemoWorkflow(input: DemoInput) {
  return runDemo(input, REORDERED, { operated: patched('operator-decisions') });
}
