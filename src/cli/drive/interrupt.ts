import { info } from '../io.ts';

export interface Interrupt {
  readonly interrupted: boolean;
  release(): void;
}

/** What a follower says when it stops following: the run itself goes on. */
export function resumeHint(command: string, workflowId: string): string {
  return `interrupted; the run goes on in Temporal. Resume with \`udn-demo ${command} --workflow-id ${workflowId}\``;
}

/**
 * Ctrl-C or SIGTERM: with a worker of ours, the SDK drains it and the follow loop returns
 * 'interrupted'; without one there is nothing to drain, so we leave at once.
 */
export function trapInterrupt(hint: string, withWorker: boolean): Interrupt {
  const state = { interrupted: false };
  const onSignal = () => {
    state.interrupted = true;
    if (!withWorker) {
      info(hint);
      process.exit(130);
    }
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return {
    get interrupted() {
      return state.interrupted;
    },
    release() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
