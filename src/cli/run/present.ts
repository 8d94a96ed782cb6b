import { createInterface, type Interface } from 'node:readline';
import type { WorkflowHandle } from '@temporalio/client';
import type { LoadedConfig } from '../../config/load.ts';
import { errorMessage } from '../../errors.ts';
import type { DemoResult } from '../../model/result.ts';
import type { ScenarioId } from '../../scenarios/compose.ts';
import { continueUpdate } from '../../workflows/presenter.ts';
import { buildPlan, type Plan } from '../plan/plan.ts';
import { renderStep } from '../plan/render.ts';

/**
 * The presenting terminal: when the run waits before a step, it shows what the step will do (the
 * plan's section: what it shows, its manifests, the commands by hand) and, on a terminal, Enter
 * runs it. Elsewhere (`udn-demo next`, the Web UI) works the same and this one just follows.
 */
export function presenter(handle: WorkflowHandle, loaded: LoadedConfig, scenarios: ScenarioId[], print: (line: string) => void): { onProgress: (p: DemoResult) => void; close: () => void } {
  let plan: Promise<Plan> | undefined;
  let shown: string | undefined;
  let keys: Interface | undefined;
  const show = async (step: string) => {
    plan ??= buildPlan(loaded.config, scenarios, loaded.source === 'built-in defaults' ? undefined : loaded.source);
    const steps = (await plan).steps;
    const i = steps.findIndex((s) => s.id === step);
    if (i >= 0) print(`\n${renderStep(steps[i]!, i, steps.length)}`);
    if (!process.stdin.isTTY) {
      print(`  ⏸ waiting before ${step}: udn-demo next ${handle.workflowId}`);
      return;
    }
    keys ??= createInterface({ input: process.stdin, output: process.stderr });
    // A question still open from a step someone else continued keeps its callback: Enter means the step shown last.
    keys.question(`  ⏸ Enter runs ${step} (or: udn-demo next ${handle.workflowId}) `, () => {
      handle.executeUpdate(continueUpdate, { args: [{ step: shown! }] }).catch((err: unknown) => print(`  next: ${errorMessage(err)}`));
    });
  };
  return {
    onProgress(p) {
      const step = p.presenter?.waitingBefore;
      if (!step || step === shown) return;
      shown = step;
      show(step).catch((err: unknown) => print(`  presenter: ${errorMessage(err)}`));
    },
    close: () => keys?.close(),
  };
}
