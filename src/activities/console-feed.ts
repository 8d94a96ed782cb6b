import { EventEmitter } from 'node:events';
import type { ConsoleTail } from '../model/heartbeat.ts';

/** A console tail recorded by an activity of this process, and whose it is. */
export interface LocalConsoleTail {
  workflowId: string;
  activityId: string;
  tail: ConsoleTail;
}

const feed = new EventEmitter();

/**
 * Heartbeats reach the server at most every couple of seconds, and not at all once the activity
 * has completed: a probe that takes a second would never be seen through them. A follower whose
 * worker runs in its own process (`udn-demo run` without --no-worker) gets every tail here as it
 * is recorded; other followers read the heartbeats.
 */
export function publishConsoleTail(t: LocalConsoleTail): void {
  try {
    feed.emit('tail', t);
  } catch {
    // A follower that cannot show it (its terminal gone) is no reason for the probe to fail.
  }
}

/** Calls `listener` with each tail published in this process until the returned function is called. */
export function onConsoleTail(listener: (t: LocalConsoleTail) => void): () => void {
  feed.on('tail', listener);
  return () => feed.off('tail', listener);
}
