import type { Client, WorkflowHandle } from '@temporalio/client';
import type { InjectedFailures } from '../../activities/instrument.ts';
import { connectClient, resolveConnectionOptions } from '../../client/connection.ts';
import { ensureTemporalServer } from '../../client/ensure-server.ts';
import { serverHasStatusAttribute } from '../../client/status-attribute.ts';
import { workflowUrl } from '../../client/web-ui.ts';
import { loadConfig, type LoadedConfig } from '../../config/load.ts';
import type { Config } from '../../config/schema.ts';
import { checkFaultsFile } from '../../cluster/sandbox-faults.ts';
import { doctorSummary } from '../../doctor/summary.ts';
import { ExitCode, InputError } from '../../errors.ts';
import { CLUSTER_MEMO, checkClusterFree, clusterKey } from '../cluster-in-use.ts';
import { followWithOptionalWorker } from './in-process-worker.ts';
import { resumeHint, trapInterrupt } from './interrupt.ts';
import { info, printJson } from '../io.ts';
import { startOrAttach, type StartSpec } from './start-or-attach.ts';
import { validateWorkflowId } from '../workflow-id.ts';

/** The flags every command that starts and follows a run shares (see `addDriveOptions`). */
export interface DriveOptions {
  sandbox?: boolean;
  config?: string;
  json?: boolean;
  detach?: boolean;
  worker: boolean;
  workflowId?: string;
  /** Replace an ended run that still holds the cluster. */
  takeOver?: boolean;
  /** For the worker in this process (`--fail-activity`), checked as it was parsed. */
  failActivity?: InjectedFailures;
}

/** What differs between the commands that start and follow a run (`run`, `tenants`). */
export interface RunCommand<R> {
  /** The command's name: the hints say how to resume with it. */
  name: string;
  /** Whether `udn-demo status` can follow this kind of run. */
  statusFollows: boolean;
  /** The command's own flags applied to the config; throws InputError before anything starts. */
  configure(loaded: LoadedConfig): void;
  newWorkflowId(config: Config): string;
  /**
   * `takeOver`: the ended run still holding the cluster that this one may replace;
   * `statusAttribute`: the server has UdnDemoStatus, so the run may keep it set.
   */
  start(loaded: LoadedConfig, takeOver: string | undefined, statusAttribute: boolean): StartSpec;
  follow(client: Client, handle: WorkflowHandle): Promise<R>;
  closed(client: Client, handle: WorkflowHandle): Promise<R>;
  /** Prints the result (the JSON document with --json) and returns the exit code. */
  report(result: R, json: boolean | undefined): number;
}

/**
 * Starts a run (or attaches to the open one with --workflow-id, or reports the ended one), then
 * returns at once with --detach, else follows it to the end with a worker in this process unless
 * --no-worker. Everything that can be refused is checked before a server is started or contacted.
 */
export async function drive<R>(opts: DriveOptions, cmd: RunCommand<R>): Promise<number> {
  const workflowId = opts.workflowId === undefined ? undefined : validateWorkflowId(opts.workflowId);
  if (opts.failActivity && (!opts.worker || opts.detach)) {
    throw new InputError('--fail-activity is for the worker in this process; with --no-worker or --detach, give it to `udn-demo worker`');
  }
  const loaded = await loadConfig(opts.config);
  if (opts.sandbox) loaded.config.cluster.provider = 'sandbox';
  cmd.configure(loaded);
  // Read before anything starts: a bad faults file must not leave a started run behind.
  const { cluster, sandbox } = loaded.config;
  if (cluster.provider === 'sandbox' && sandbox.faultsFile) await checkFaultsFile(sandbox.faultsFile);
  await resolveConnectionOptions(loaded.config.temporal);
  // The first run on a machine builds or downloads tools for minutes: say so, and why, up front.
  const obtaining = await doctorSummary(loaded);
  if (obtaining) info(obtaining);
  await ensureTemporalServer(loaded, info);
  const client = await connectClient(loaded.config.temporal);
  try {
    const { temporal } = loaded.config;
    const id = workflowId ?? cmd.newWorkflowId(loaded.config);
    const { handle, state } = await startOrAttach(client, temporal.taskQueue, id, async () => ({
      ...cmd.start(loaded, await checkClusterFree(client, loaded.config, id, cmd.name, Boolean(opts.takeOver)), await serverHasStatusAttribute(client)),
      memo: { [CLUSTER_MEMO]: clusterKey(loaded.config) },
    }));
    if (state === 'closed') {
      info(`run ${id} has already ended; its result:`);
      return cmd.report(await cmd.closed(client, handle), opts.json);
    }
    const said = `${state === 'attached' ? 'attached to' : 'started'} ${id}`;
    const resume = `\`udn-demo ${cmd.name} --workflow-id ${id}\``;
    if (opts.detach) {
      info(said);
      info(`Web UI: ${workflowUrl(temporal, id)}`);
      if (opts.json) printJson({ workflowId: id, status: 'running' });
      info(cmd.statusFollows ? `detached; follow with \`udn-demo status ${id}\`, or resume here with ${resume}` : `detached; resume here with ${resume}`);
      return ExitCode.passed;
    }
    // Trapped before anything is said about the run, so a Ctrl-C at any point after gets the resume hint.
    const interrupt = trapInterrupt(resumeHint(cmd.name, id), opts.worker);
    try {
      info(said);
      info(`Web UI: ${workflowUrl(temporal, id)}`);
      const result = await followWithOptionalWorker(id, temporal, opts.worker ? (opts.failActivity ?? {}) : false, interrupt, () => cmd.follow(client, handle));
      if (result === 'interrupted') {
        info(resumeHint(cmd.name, id));
        return ExitCode.interrupted;
      }
      info(`Web UI: ${workflowUrl(temporal, id)}`);
      return cmd.report(result, opts.json);
    } finally {
      interrupt.release();
    }
  } finally {
    await client.connection.close();
  }
}
