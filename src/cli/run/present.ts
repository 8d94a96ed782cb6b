import { createInterface, emitKeypressEvents, type Interface } from 'node:readline';
import type { WorkflowHandle } from '@temporalio/client';
import type { LoadedConfig } from '../../config/load.ts';
import { errorMessage } from '../../errors.ts';
import type { DemoResult } from '../../model/result.ts';
import type { ScenarioId } from '../../scenarios/compose.ts';
import { continueUpdate } from '../../workflows/presenter.ts';
import { buildPlan, type Plan } from '../plan/plan.ts';
import { renderStep } from '../plan/render.ts';

export interface PresenterOutput {
  print: (line: string) => void;
  /** The steps are drawn in place (see follow): Enter is read key by key, so nothing the terminal echoes moves the drawing. */
  live: boolean;
}

/**
 * The presenting terminal: when the run waits before a step, it shows what the step will do (the
 * plan's section: what it shows, its manifests, the commands by hand) and, on a terminal, Enter
 * runs it. Elsewhere (`udn-demo next`, the Web UI) works the same and this one just follows.
 */
export function presenter(handle: WorkflowHandle, loaded: LoadedConfig, scenarios: ScenarioId[], out: PresenterOutput): { onProgress: (p: DemoResult) => void; close: () => void } {
  const { print } = out;
  let plan: Promise<Plan> | undefined;
  let shown: string | undefined;
  let question: Interface | undefined;
  /** The step Enter runs, on a live terminal: armed while the run waits before it, once. */
  let armed: string | undefined;
  let stopKeys: (() => void) | undefined;
  const next = (step: string) => handle.executeUpdate(continueUpdate, { args: [{ step }] }).catch((err: unknown) => print(`  next: ${errorMessage(err)}`));
  const show = async (step: string) => {
    plan ??= buildPlan(loaded.config, scenarios, loaded.source === 'built-in defaults' ? undefined : loaded.source);
    const steps = (await plan).steps;
    const i = steps.findIndex((s) => s.id === step);
    if (i >= 0) print(`\n${renderStep(steps[i]!, i, steps.length)}`);
    if (!process.stdin.isTTY) {
      print(`  ⏸ waiting before ${step}: udn-demo next ${handle.workflowId}`);
      return;
    }
    if (out.live) {
      print(`  ⏸ Enter runs ${step} (or: udn-demo next ${handle.workflowId})`);
      armed = step;
      stopKeys ??= onEnter(process.stdin, () => {
        const step = armed;
        armed = undefined;
        if (step) void next(step);
      });
      return;
    }
    question ??= createInterface({ input: process.stdin, output: process.stderr });
    // A question still open from a step someone else continued keeps its callback: Enter means the step shown last.
    question.question(`  ⏸ Enter runs ${step} (or: udn-demo next ${handle.workflowId}) `, () => void next(shown!));
  };
  return {
    onProgress(p) {
      const step = p.presenter?.waitingBefore;
      if (step !== armed) armed = undefined;
      if (!step || step === shown) return;
      shown = step;
      show(step).catch((err: unknown) => print(`  presenter: ${errorMessage(err)}`));
    },
    close: () => {
      question?.close();
      stopKeys?.();
    },
  };
}

/**
 * Calls `enter` on each Enter, reading the terminal key by key without echo. The terminal then
 * sends no signal for Ctrl-C: it is passed on as the SIGINT it would have been.
 */
function onEnter(input: NodeJS.ReadStream, enter: () => void): () => void {
  emitKeypressEvents(input);
  input.setRawMode(true);
  const onKey = (_text: string, key: { name?: string; ctrl?: boolean } | undefined) => {
    if (key?.ctrl && key.name === 'c') process.kill(process.pid, 'SIGINT');
    else if (key?.name === 'return' || key?.name === 'enter') enter();
  };
  input.on('keypress', onKey);
  input.resume();
  return () => {
    input.off('keypress', onKey);
    input.setRawMode(false);
    input.pause();
  };
}
