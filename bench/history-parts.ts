/**
 * Where a workflow's time between its activities goes, read from its history: for each activity,
 * the workflow task that scheduled it (the worker's share), its dispatch (scheduled → started:
 * matching, or nothing when the worker that completed the task starts it eagerly), its run, and
 * the wake-up after it (completed → the next workflow task started: the server scheduling the
 * task, matching dispatching it to the worker's sticky queue).
 */
import proto, { type temporal } from '@temporalio/proto';

const E = proto.temporal.api.enums.v1.EventType;
type Event = temporal.api.history.v1.IHistoryEvent;

export interface ActivityParts {
  type: string;
  /** When it was scheduled, ms since the epoch (server time, as the workflow's own clock). */
  scheduledAt: number;
  /** WorkflowTaskStarted → WorkflowTaskCompleted of the task that scheduled it. */
  scheduleTaskMs: number;
  /** ActivityTaskScheduled → ActivityTaskStarted. */
  dispatchMs: number;
  /** ActivityTaskStarted → completed, failed or timed out. */
  runMs: number;
  /** Closed → the next WorkflowTaskStarted. */
  wakeupMs: number;
  /** The first attempt started within a millisecond of being scheduled, by the scheduling worker. */
  eager: boolean;
}

const ms = (e: Event): number => Number(e.eventTime?.seconds ?? 0) * 1000 + (e.eventTime?.nanos ?? 0) / 1e6;

const CLOSED = new Set([E.EVENT_TYPE_ACTIVITY_TASK_COMPLETED, E.EVENT_TYPE_ACTIVITY_TASK_FAILED, E.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT, E.EVENT_TYPE_ACTIVITY_TASK_CANCELED]);

function scheduledIdOf(e: Event): number | undefined {
  const a = e.activityTaskStartedEventAttributes ?? e.activityTaskCompletedEventAttributes ?? e.activityTaskFailedEventAttributes ?? e.activityTaskTimedOutEventAttributes ?? e.activityTaskCanceledEventAttributes;
  return a?.scheduledEventId == null ? undefined : Number(a.scheduledEventId);
}

/** One record per activity that closed; activities still open (or the history cut short) are left out. */
export function activityParts(events: readonly Event[]): ActivityParts[] {
  const byId = new Map(events.map((e) => [Number(e.eventId), e]));
  const wftStartedBefore = (completedId: number) => byId.get(completedId - 1);
  const parts: ActivityParts[] = [];
  for (const scheduled of events) {
    if (scheduled.eventType !== E.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) continue;
    const id = Number(scheduled.eventId);
    const started = events.find((e) => e.eventType === E.EVENT_TYPE_ACTIVITY_TASK_STARTED && scheduledIdOf(e) === id);
    const closed = events.find((e) => CLOSED.has(e.eventType!) && scheduledIdOf(e) === id);
    if (!started || !closed) continue;
    const completedTask = byId.get(Number(scheduled.activityTaskScheduledEventAttributes?.workflowTaskCompletedEventId));
    const taskStarted = completedTask && wftStartedBefore(Number(completedTask.eventId));
    const nextTask = events.find((e) => e.eventType === E.EVENT_TYPE_WORKFLOW_TASK_STARTED && Number(e.eventId) > Number(closed.eventId));
    if (!completedTask || taskStarted?.eventType !== E.EVENT_TYPE_WORKFLOW_TASK_STARTED || !nextTask) continue;
    const dispatchMs = ms(started) - ms(scheduled);
    const attempt = started.activityTaskStartedEventAttributes?.attempt ?? 1;
    parts.push({
      type: scheduled.activityTaskScheduledEventAttributes?.activityType?.name ?? '?',
      scheduledAt: ms(scheduled),
      scheduleTaskMs: ms(completedTask) - ms(taskStarted),
      dispatchMs,
      runMs: ms(closed) - ms(started),
      wakeupMs: ms(nextTask) - ms(closed),
      eager: attempt === 1 && dispatchMs < 1 && started.activityTaskStartedEventAttributes?.identity === completedTask.workflowTaskCompletedEventAttributes?.identity,
    });
  }
  return parts;
}

/** A step's overhead over the plain script, split along the activities it ran. */
export interface StepParts {
  id: string;
  overheadMs: number;
  activities: number;
  workflowTaskMs: number;
  dispatchMs: number;
  wakeupMs: number;
  /** The activities' run in the worker (server start → close) − the plain script's step time. */
  activityRunMs: number;
  /** What none of these explain: child workflows, timers, workflow tasks with no activity. */
  otherMs: number;
}

/**
 * Pairs each step of a DemoWorkflow run (its own start and end, workflow time) with the
 * activities scheduled in it and the same step of the plain script.
 */
export function stepParts(steps: readonly { id: string; startedAt: number; endedAt: number }[], plainMs: ReadonlyMap<string, number>, activities: readonly ActivityParts[]): StepParts[] {
  const out: StepParts[] = [];
  for (const step of steps) {
    const plain = plainMs.get(step.id);
    if (plain === undefined) continue;
    const mine = activities.filter((a) => a.scheduledAt >= step.startedAt && a.scheduledAt <= step.endedAt);
    const sum = (k: 'scheduleTaskMs' | 'dispatchMs' | 'wakeupMs' | 'runMs') => mine.reduce((t, a) => t + a[k], 0);
    const overheadMs = step.endedAt - step.startedAt - plain;
    const parts = { workflowTaskMs: sum('scheduleTaskMs'), dispatchMs: sum('dispatchMs'), wakeupMs: sum('wakeupMs'), activityRunMs: sum('runMs') - plain };
    out.push({ id: step.id, overheadMs, activities: mine.length, ...parts, otherMs: overheadMs - parts.workflowTaskMs - parts.dispatchMs - parts.wakeupMs - parts.activityRunMs });
  }
  return out;
}
