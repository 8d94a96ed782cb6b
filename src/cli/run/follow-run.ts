import type { Client, WorkflowHandle } from '@temporalio/client';
import { onConsoleTail } from '../../activities/console-feed.ts';
import type { LoadedConfig } from '../../config/load.ts';
import type { ConsoleTail } from '../../model/heartbeat.ts';
import type { DemoResult } from '../../model/result.ts';
import type { ScenarioId } from '../../scenarios/compose.ts';
import { info } from '../io.ts';
import { liveScreen } from '../live-screen.ts';
import { progressStyle } from '../terminal.ts';
import { consoleFollower, consoleLine } from './console-lines.ts';
import { follow } from './follow.ts';
import type { PendingActivity } from './pending.ts';
import { presenter } from './present.ts';
import { stepsFrame } from './steps-frame.ts';

export interface FollowRunOptions {
  loaded: LoadedConfig;
  scenarios: ScenarioId[];
  json: boolean;
  /** Show the guest console transcripts of the probes (a presented run always does). */
  console: boolean;
}

/**
 * `udn-demo run` following its run: the steps redrawn in place on a terminal (plain lines
 * elsewhere), the presenter's part when the run is presented (by whoever started it: an attach
 * presents too), and the guest consoles as the probes use them.
 */
export async function followRun(client: Client, handle: WorkflowHandle, o: FollowRunOptions): Promise<DemoResult> {
  const style = progressStyle(o.json);
  const screen = style.live ? liveScreen() : undefined;
  const print = screen ? screen.print : info;
  const present = presenter(handle, o.loaded, o.scenarios, { print, live: style.live });
  let presented = false;
  let last: { progress: DemoResult; activities: readonly PendingActivity[] } | undefined;
  const draw = () => last && screen?.draw(stepsFrame({ ...last, now: Date.now(), ...screen.size() }, style.colors));
  // The running step's time goes on between two reads of the run.
  const ticking = screen && setInterval(draw, 1000);
  const newLines = consoleFollower();
  // Activity ids are per workflow, and the run's child workflows (`<id>/…`) have their own.
  const showConsole = (workflowId: string, activityId: string, tail: ConsoleTail) => {
    if (o.console || presented) for (const e of newLines(`${workflowId} ${activityId}`, tail)) print(consoleLine(e, style.colors));
  };
  // This process's worker, when it has one, hands over every line as it is recorded (heartbeats come later, or never).
  const unsubscribe = onConsoleTail((t) => {
    if (t.workflowId === handle.workflowId || t.workflowId.startsWith(`${handle.workflowId}/`)) showConsole(t.workflowId, t.activityId, t.tail);
  });
  let settled = false;
  try {
    const result = await follow(client, handle, {
      print,
      onProgress(p) {
        presented = p.presenter !== undefined;
        present.onProgress(p);
      },
      ...(screen && {
        live(progress, activities) {
          last = { progress, activities };
          draw();
        },
      }),
      console: (activityId, tail) => showConsole(handle.workflowId, activityId, tail),
    });
    settled = true;
    return result;
  } finally {
    clearInterval(ticking);
    unsubscribe();
    present.close();
    // The summary that follows on the terminal lists every step again; a run left (Ctrl-C, an error) keeps its list.
    screen?.close(!(settled && process.stdout.isTTY));
  }
}
