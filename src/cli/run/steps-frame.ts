import type { DemoResult, StepRecord } from '../../model/result.ts';
import { stepLine } from '../demo-result/render.ts';
import { formatDuration } from '../duration.ts';
import type { Colors } from '../terminal.ts';
import type { PendingActivity } from './pending.ts';

/** What the live view of a run shows: its steps, and what the activities of its running steps say. */
export interface FrameInput {
  progress: DemoResult;
  activities: readonly PendingActivity[];
  now: number;
  /** The terminal's size: each line is cut to its width, the list to its height. */
  columns: number;
  rows: number;
}

/** A piece of a line and its colour: lines are cut by their visible text, then coloured. */
type Piece = [text: string, style?: (s: string) => string];

interface Group {
  /** Finished steps are the first to fold away when the list is taller than the terminal. */
  finished: boolean;
  state: StepRecord['state'];
  lines: Piece[][];
}

/**
 * The run's steps, one line each, redrawn in place: pending, running (how long so far, and the
 * latest progress line of its activities), passed, failed, skipped, waiting for the presenter or
 * for an operator. Taller than half the terminal, the finished steps at the top and the pending
 * ones at the bottom fold into a line each.
 */
export function stepsFrame(f: FrameInput, c: Colors): string[] {
  const steps = f.progress.steps;
  const lastRunning = steps.findLastIndex((s) => s.state === 'running');
  const groups = steps.map((step, i): Group => {
    const lines = [stepPieces(f, step, i, c)];
    if (f.progress.awaiting?.step === step.id) lines.push([['    '], [`waiting for an operator: udn-demo retry|skip|cancel ${f.progress.workflowId}`, c.magenta]]);
    // An activity that has said nothing yet, on its first attempt, adds nothing to its step's line.
    if (i === lastRunning) lines.push(...f.activities.filter((a) => a.heartbeat.progress || a.attempt > 1).map((a) => activityPieces(a, c)));
    return { finished: lines.length === 1 && (step.state === 'succeeded' || step.state === 'skipped' || step.state === 'failed'), state: step.state, lines };
  });
  // At most half the terminal: what scrolls above the list (the presenter's steps, the consoles) keeps the rest.
  return fold(groups, Math.max(5, Math.floor(f.rows / 2)), c).map((line) => render(line, f.columns - 1));
}

const MARK_STYLE: Record<StepRecord['state'], (c: Colors) => (s: string) => string> = {
  pending: (c) => c.dim,
  running: (c) => c.yellow,
  succeeded: (c) => c.green,
  failed: (c) => c.red,
  skipped: (c) => c.yellow,
};

function stepPieces(f: FrameInput, step: StepRecord, i: number, c: Colors): Piece[] {
  const n = `[${String(i + 1).padStart(String(f.progress.steps.length).length)}/${f.progress.steps.length}] ${step.id}`;
  if (step.state === 'pending' && f.progress.presenter?.waitingBefore === step.id) {
    return [['⏸', c.cyan], [` ${n} `], [`waiting for the presenter (Enter, or udn-demo next ${f.progress.workflowId})`, c.cyan]];
  }
  if (step.state === 'pending') return [[`· ${n} ${step.title}`, c.dim]];
  if (step.state === 'running') {
    const since = step.startedAt ? ` ${elapsed(f.now - Date.parse(step.startedAt))}` : '';
    const attempts = step.attempts > 1 ? ` [attempt ${step.attempts}]` : '';
    return [['▶', c.yellow], [` ${n}`, c.bold], [`${since}${attempts}`, c.yellow], [` ${step.title}`]];
  }
  // A finished step reads as in the end-of-run summary.
  const line = stepLine(step, i, f.progress.steps.length);
  return [[line.slice(0, 1), MARK_STYLE[step.state](c)], [line.slice(1)]];
}

/** `    ↳ runProbes (attempt 2): 3/8 probes settled; …` */
function activityPieces(a: PendingActivity, c: Colors): Piece[] {
  const attempt = a.attempt > 1 ? ` (attempt ${a.attempt})` : '';
  return [['    ↳ ', c.dim], [`${a.name}${attempt}`, a.attempt > 1 ? c.yellow : c.dim], [a.heartbeat.progress ? `: ${a.heartbeat.progress}` : '', c.dim]];
}

/** Whole seconds: the list is redrawn every second. */
function elapsed(ms: number): string {
  return ms < 60_000 ? `${Math.max(0, Math.floor(ms / 1000))} s` : formatDuration(ms);
}

/**
 * Keeps the list within `budget` lines around what goes on now (the first step not finished to
 * the last one not pending): finished steps fold from the top, pending ones from the bottom,
 * whichever side is longer first, so both keep a few in view.
 */
function fold(groups: Group[], budget: number, c: Colors): Piece[][] {
  const firstOpen = groups.findIndex((g) => !g.finished);
  const focus = firstOpen < 0 ? groups.length - 1 : firstOpen;
  const lastFocus = Math.max(focus, groups.findLastIndex((g) => !g.finished && g.state !== 'pending'));
  let [start, end] = [0, groups.length];
  const height = () => (start > 0 ? 1 : 0) + groups.slice(start, end).reduce((n, g) => n + g.lines.length, 0) + (end < groups.length ? 1 : 0);
  while (height() > budget && (start < focus || end > lastFocus + 1)) {
    if (focus - start >= end - 1 - lastFocus) start++;
    else end--;
  }
  const before = start > 0 ? [[[`… ${folded('earlier', groups.slice(0, start))}`, c.dim] as Piece]] : [];
  const after = end < groups.length ? [[[`… ${folded('more', groups.slice(end))}`, c.dim] as Piece]] : [];
  return [...before, ...groups.slice(start, end).flatMap((g) => g.lines), ...after].slice(-budget);
}

/** `12 earlier steps: 11 passed, 1 skipped` */
function folded(which: 'earlier' | 'more', groups: Group[]): string {
  const by = new Map<StepRecord['state'], number>();
  for (const g of groups) by.set(g.state, (by.get(g.state) ?? 0) + 1);
  return `${groups.length} ${which} step${groups.length === 1 ? '' : 's'}: ${[...by].map(([state, n]) => `${n} ${STATE_WORD[state]}`).join(', ')}`;
}

const STATE_WORD: Record<StepRecord['state'], string> = { pending: 'pending', running: 'running', succeeded: 'passed', failed: 'failed', skipped: 'skipped' };

/** The line cut to `width` visible characters, then coloured: escape codes never count, nor get cut. */
function render(pieces: Piece[], width: number): string {
  let left = width;
  let out = '';
  for (const [text, style] of pieces) {
    const chars = [...text];
    const cut = chars.length > left ? `${chars.slice(0, Math.max(0, left - 1)).join('')}…` : text;
    left -= Math.min(chars.length, left);
    if (cut) out += style ? style(cut) : cut;
    if (left <= 0) break;
  }
  return out;
}
