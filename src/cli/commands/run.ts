import { join } from 'node:path';
import type { Command } from 'commander';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client, type WorkflowHandle } from '@temporalio/client';
import { connectClient, connectWorker, resolveConnectionOptions } from '../../client/connection.ts';
import { ensureTemporalServer } from '../../client/ensure-server.ts';
import { workflowUrl } from '../../client/web-ui.ts';
import { loadConfig, type LoadedConfig } from '../../config/load.ts';
import { ExitCode, InputError } from '../../errors.ts';
import type { DemoResult } from '../../model/result.ts';
import { paths } from '../../config/paths.ts';
import type { InjectedFailures } from '../../activities/instrument.ts';
import { createWorker, injectedFailuresFor, installRuntime } from '../../worker.ts';
import { demoInputFromConfig } from '../../workflows/demo-input.ts';
import { exitCodeFor } from '../exit-code.ts';
import { follow } from '../follow.ts';
import { info, printJson } from '../io.ts';
import { closedResult } from '../outcome.ts';
import { renderResult } from '../render.ts';
import { newWorkflowId, validateWorkflowId } from '../workflow-id.ts';

interface RunOptions {
  sandbox?: boolean;
  config?: string;
  json?: boolean;
  detach?: boolean;
  worker: boolean;
  workflowId?: string;
  ordering?: string;
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('start DemoWorkflow (or attach to the open run with --workflow-id) and follow it to the end')
    .option('--sandbox', 'run on the sandbox cluster (no Docker needed) instead of kind')
    .option('-c, --config <file>', 'YAML config file (see config.example.yaml)')
    .option('--json', 'print exactly one JSON document, the result, on stdout')
    .option('--detach', 'start the run and return at once; a worker elsewhere executes it')
    .option('--no-worker', 'do not run a worker in this process (one runs elsewhere: `udn-demo worker`)')
    .option('--workflow-id <id>', 'workflow id; if that run is still open, attach to it instead of starting another')
    .option('--ordering <mode>', "narrative: the seed's order, one step at a time (default); fast: every step as soon as what it needs is done")
    .addHelpText('after', '\nExit codes: 0 all checks passed, 1 a check failed, 2 usage/config/input error, 3 infrastructure error.')
    .action(async (opts: RunOptions) => {
      process.exitCode = await run(opts);
    });
}

async function run(opts: RunOptions): Promise<number> {
  const workflowId = opts.workflowId === undefined ? undefined : validateWorkflowId(opts.workflowId);
  const loaded = await loadConfig(opts.config);
  if (opts.sandbox) loaded.config.cluster.provider = 'sandbox';
  if (opts.ordering !== undefined) {
    if (opts.ordering !== 'narrative' && opts.ordering !== 'fast') throw new InputError(`--ordering must be narrative or fast, got "${opts.ordering}"`);
    loaded.config.ordering = opts.ordering;
  }
  // Read before anything starts: a bad faults file must not leave a started run behind.
  const injectFailures = await injectedFailuresFor(loaded.config);
  await resolveConnectionOptions(loaded.config.temporal);
  await ensureTemporalServer(loaded, info);
  const client = await connectClient(loaded.config.temporal);
  try {
    const id = workflowId ?? newWorkflowId(loaded.config.cluster.provider);
    const { handle, state } = await startOrAttach(client, loaded, id);
    const { temporal } = loaded.config;
    if (state === 'closed') {
      info(`run ${id} has already ended; its result:`);
      return report(await closedResult(handle), opts.json);
    }
    const said = `${state === 'attached' ? 'attached to' : 'started'} ${id}`;
    if (opts.detach) {
      info(said);
      info(`Web UI: ${workflowUrl(temporal, id)}`);
      if (opts.json) printJson({ workflowId: id, status: 'running' });
      info(`detached; follow with \`udn-demo status ${id}\`, or resume here with \`udn-demo run --workflow-id ${id}\``);
      return ExitCode.passed;
    }
    // Trapped before anything is said about the run, so a Ctrl-C at any point after gets the resume hint.
    const interrupt = trapInterrupt(id, opts.worker);
    try {
      info(said);
      info(`Web UI: ${workflowUrl(temporal, id)}`);
      const result = await followWithOptionalWorker(client, handle, loaded, opts.worker ? injectFailures : false, interrupt);
      if (result === 'interrupted') {
        info(resumeHint(id));
        return 130;
      }
      info(`Web UI: ${workflowUrl(temporal, id)}`);
      return report(result, opts.json);
    } finally {
      interrupt.release();
    }
  } finally {
    await client.connection.close();
  }
}

async function startOrAttach(client: Client, loaded: LoadedConfig, workflowId: string): Promise<{ handle: WorkflowHandle; state: 'started' | 'attached' | 'closed' }> {
  const existing = client.workflow.getHandle(workflowId);
  try {
    const { status } = await existing.describe();
    return { handle: existing, state: status.name === 'RUNNING' ? 'attached' : 'closed' };
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
  }
  const { config } = loaded;
  try {
    const handle = await client.workflow.start('DemoWorkflow', {
      taskQueue: config.temporal.taskQueue,
      workflowId,
      args: [demoInputFromConfig(config)],
      staticSummary: `udn-demo on the ${config.cluster.provider} cluster "${config.cluster.name}"`,
      staticDetails: [
        `Config: ${loaded.source}`,
        `green: namespace ${config.scenario.green.namespace}, UDN ${config.scenario.green.subnet}`,
        `blue: namespace ${config.scenario.blue.namespace}, UDN ${config.scenario.blue.subnet}`,
        `migrated VM: ${config.scenario.migration.vm}`,
        `ordering: ${config.ordering}`,
      ].join('\n\n'),
    });
    return { handle, state: 'started' };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return { handle: existing, state: 'attached' };
    throw err;
  }
}

interface Interrupt {
  readonly interrupted: boolean;
  release(): void;
}

function resumeHint(workflowId: string): string {
  return `interrupted; the run goes on in Temporal. Resume with \`udn-demo run --workflow-id ${workflowId}\``;
}

/**
 * Ctrl-C or SIGTERM: with a worker of ours, the SDK drains it and the follow loop returns
 * 'interrupted'; without one there is nothing to drain, so we leave at once.
 */
function trapInterrupt(workflowId: string, withWorker: boolean): Interrupt {
  const state = { interrupted: false };
  const onSignal = () => {
    state.interrupted = true;
    if (!withWorker) {
      info(resumeHint(workflowId));
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

/** `inject` is false for no worker in this process, else the failures it injects. */
async function followWithOptionalWorker(client: Client, handle: WorkflowHandle, loaded: LoadedConfig, inject: InjectedFailures | false, interrupt: Interrupt): Promise<DemoResult | 'interrupted'> {
  const following = () => follow(client, handle, { print: info });
  if (inject === false) return following();
  const logFile = join(paths.dataDir, 'logs', `${handle.workflowId.replace(/[^A-Za-z0-9._-]/g, '_')}.worker.log`);
  installRuntime(logFile);
  info(`worker: in this process; its log is ${logFile}`);
  const connection = await connectWorker(loaded.config.temporal);
  try {
    const worker = await createWorker({ connection, temporal: loaded.config.temporal, injectFailures: inject });
    return await worker.runUntil(following);
  } catch (err) {
    if (interrupt.interrupted) return 'interrupted';
    throw err;
  } finally {
    await connection.close();
  }
}

function report(result: DemoResult, json: boolean | undefined): number {
  if (json) printJson(result);
  else process.stdout.write(`\n${renderResult(result)}\n`);
  return exitCodeFor(result);
}
