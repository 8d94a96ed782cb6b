/**
 * The README's screenshots, taken from a real run of the demo on the sandbox cluster:
 *   npm run screenshots [-- --out DIR] [--during STEP]
 *
 * 1. starts udn-demo's embedded Temporal dev server on free ports, in a private data directory
 *    (UDN_DEMO_DATA_DIR), so nobody else's dev server, sandbox or runs are touched;
 * 2. starts a run with `udn-demo run --sandbox --detach` and a `udn-demo worker` for it;
 * 3. while STEP (default live-migration) runs, screenshots the run's page in the Temporal Web UI
 *    (DIR/web-ui.png: its summary and current details: the steps done, the one running, the ones
 *    still to come);
 * 4. when the run has passed, writes its HTML report with `udn-demo report` and screenshots it
 *    (DIR/report.png: its first screen, the verdict and the checks);
 * 5. always, even on failure or Ctrl-C: stops the worker, `udn-demo sandbox down`, stops the dev
 *    server, removes the data directory (kept, with its logs, when something failed).
 *
 * Chromium: $CHROMIUM, else /usr/bin/chromium, else chromium or chromium-browser on PATH
 * (Debian: apt-get install -y chromium), driven by playwright-core. No Chromium: one line, exit 3.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { execa } from 'execa';
import getPort from 'get-port';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import which from 'which';
import { startDevServer, stopDevServer, type DevServerOptions } from '../src/client/dev-server.ts';
import { workflowUrl } from '../src/client/web-ui.ts';
import { fetchResult } from '../src/cli/demo-result/fetch-result.ts';
import { errorMessage } from '../src/errors.ts';
import type { DemoResult } from '../src/model/result.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'bin', 'udn-demo.js');
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(0)} s`;
const say = (line: string) => process.stderr.write(`screenshots: ${line}\n`);

const { values: opts } = parseArgs({
  options: {
    out: { type: 'string', default: join(root, 'docs', 'img') },
    during: { type: 'string', default: 'live-migration' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (opts.help) {
  process.stdout.write('usage: npm run screenshots [-- --out DIR] [--during STEP]\n');
  process.exit(0);
}

const browserPath = await findChromium();
if (!browserPath) {
  say('no Chromium found: apt-get install -y chromium, or set $CHROMIUM to its path');
  process.exit(3);
}

/** Whatever this script starts, undone in reverse order, whatever happens. */
const cleanups: { what: string; undo: () => Promise<unknown> }[] = [];
let cleaning: Promise<void> | undefined;
function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    for (const { what, undo } of cleanups.reverse()) {
      try {
        await undo();
      } catch (err) {
        say(`cleanup: ${what}: ${errorMessage(err)}`);
      }
    }
  })();
  return cleaning;
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    say(`${signal}: cleaning up`);
    void cleanUp().then(() => process.exit(130));
  });
}

const dataDir = await mkdtemp(join(tmpdir(), 'udn-demo-screenshots-'));
let keepDataDir = true;
cleanups.push({ what: `remove ${dataDir}`, undo: () => (keepDataDir ? Promise.resolve(say(`logs kept in ${dataDir}`)) : rm(dataDir, { recursive: true, force: true })) });

try {
  await main();
  keepDataDir = false;
} catch (err) {
  say(errorMessage(err));
  process.exitCode = 3;
} finally {
  await cleanUp();
}

async function main(): Promise<void> {
  const outDir = resolve(opts.out!);
  await mkdir(outDir, { recursive: true });

  // The embedded dev server, as `udn-demo run` starts it, but on free ports in our data dir.
  const [port, uiPort] = [await getPort({ host: '127.0.0.1' }), await getPort({ host: '127.0.0.1' })];
  const devServer: DevServerOptions = { host: '127.0.0.1', port: port!, uiPort: uiPort!, namespace: 'default', dir: join(dataDir, 'dev-server') };
  cleanups.push({ what: 'stop the dev server', undo: () => stopDevServer(devServer, say) });
  await startDevServer(devServer, say);
  const temporal = { address: `127.0.0.1:${port}`, namespace: 'default', webUiUrl: `http://127.0.0.1:${uiPort}` };

  // Every udn-demo process gets this environment: our data dir, our server, nobody else's credentials.
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TEMPORAL_')));
  Object.assign(env, { UDN_DEMO_DATA_DIR: dataDir, TEMPORAL_ADDRESS: temporal.address, TEMPORAL_NAMESPACE: temporal.namespace, UDN_DEMO_WEB_UI_URL: temporal.webUiUrl });
  const udnDemo = (...args: string[]) => execa(process.execPath, [cli, ...args], { env, extendEnv: false, cwd: root });

  cleanups.push({ what: 'sandbox down', undo: () => udnDemo('sandbox', 'down') });
  const worker = startWorker(env);
  cleanups.push({ what: 'stop the worker', undo: () => stopProcessGroup(worker) });

  const workflowId = `udn-demo-sandbox-screenshots-${new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)}`;
  await udnDemo('run', '--sandbox', '--detach', '--workflow-id', workflowId);
  say(`run ${workflowId} started (${elapsed()}); worker log ${join(dataDir, 'worker.log')}`);

  const connection = await Connection.connect({ address: temporal.address });
  cleanups.push({ what: 'close the Temporal connection', undo: () => connection.close() });
  const client = new Client({ connection, namespace: temporal.namespace });
  const poll = async () => {
    if (worker.exitCode !== null || worker.signalCode !== null) throw new Error(`the worker exited (${worker.exitCode ?? worker.signalCode}); see ${join(dataDir, 'worker.log')}`);
    return fetchResult(client, workflowId, temporal.namespace);
  };

  const context = await launchChromium();
  cleanups.push({ what: 'close Chromium', undo: () => context.close() });
  const page = await context.newPage();

  // (a) The Web UI while the step runs.
  const runId = await waitForStep(poll, opts.during!);
  say(`${opts.during} is running (${elapsed()}): the Web UI`);
  await shootWebUi(page, workflowUrl(temporal, workflowId, runId), join(outDir, 'web-ui.png'));

  // (b) The report of the finished run.
  const result = await waitForEnd(poll);
  if (result.status !== 'passed') throw new Error(`run ${workflowId} ended ${result.status}, not passed; see ${join(dataDir, 'worker.log')}`);
  const { stdout } = await udnDemo('report', workflowId, '-f', 'html', '-o', join(dataDir, 'report'));
  const html = stdout.trim().split('\n').find((line) => line.endsWith('.html'));
  if (!html) throw new Error(`udn-demo report printed no HTML file: ${stdout}`);
  say(`run passed (${elapsed()}): the report`);
  await shootReport(page, html, join(outDir, 'report.png'));

  process.stdout.write(`${join(outDir, 'web-ui.png')}\n${join(outDir, 'report.png')}\n`);
  say(`done in ${elapsed()}`);
}

async function findChromium(): Promise<string | undefined> {
  if (process.env.CHROMIUM) return existsSync(process.env.CHROMIUM) ? process.env.CHROMIUM : undefined;
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  return (await which('chromium', { nothrow: true })) ?? (await which('chromium-browser', { nothrow: true })) ?? undefined;
}

async function launchChromium(): Promise<BrowserContext> {
  // A fresh profile each time; without the background-networking flags Chromium hangs on a closed network.
  const profile = join(dataDir, 'chromium-profile');
  return chromium.launchPersistentContext(profile, {
    executablePath: browserPath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--hide-scrollbars'],
    viewport: { width: 1440, height: 960 },
    colorScheme: 'light',
    timeout: 60_000,
  });
}

function startWorker(env: NodeJS.ProcessEnv): ChildProcess {
  const log = openSync(join(dataDir, 'worker.log'), 'a');
  // Its own process group, so stopping it stops whatever it started but the sandbox (which `sandbox down` stops).
  const child = spawn(process.execPath, [cli, 'worker'], { env, cwd: root, detached: true, stdio: ['ignore', log, log] });
  closeSync(log);
  return child;
}

async function stopProcessGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, s);
    } catch {
      /* already gone */
    }
  };
  signal('SIGTERM');
  if ((await Promise.race([exited.then(() => true), sleep(15_000, false)])) === false) {
    signal('SIGKILL');
    await exited;
  }
}

type Poll = () => Promise<{ running: boolean; runId: string; result: DemoResult | undefined }>;

async function waitForStep(poll: Poll, step: string): Promise<string> {
  const deadline = Date.now() + 15 * 60_000;
  while (Date.now() < deadline) {
    const { running, runId, result } = await poll();
    const record = result?.steps.find((s) => s.id === step);
    if (result && !record) throw new Error(`the run has no step "${step}" (steps: ${result.steps.map((s) => s.id).join(', ')})`);
    if (record?.state === 'running') return runId;
    if (!running || (record && record.state !== 'pending')) throw new Error(`step ${step} is ${record?.state ?? 'unknown'} and the run is ${result?.status ?? 'gone'}: too late for the Web UI screenshot`);
    if (result?.status === 'waiting') throw new Error(`the run waits for an operator: ${result.awaiting?.reason ?? ''}`);
    await sleep(500);
  }
  throw new Error(`step ${step} did not start within 15 minutes`);
}

async function waitForEnd(poll: Poll): Promise<DemoResult> {
  const deadline = Date.now() + 15 * 60_000;
  while (Date.now() < deadline) {
    const { running, result } = await poll();
    if (!running && result) return result;
    if (result?.status === 'waiting') throw new Error(`the run waits for an operator: ${result.awaiting?.reason ?? ''}`);
    await sleep(1000);
  }
  throw new Error('the run did not end within 15 minutes');
}

async function shootWebUi(page: Page, url: string, png: string): Promise<void> {
  await page.setViewportSize({ width: 1600, height: 1000 });
  await page.goto(url, { waitUntil: 'load' });
  // The Web UI is a single-page app: wait until it has drawn the run, then open the tab with the
  // run's summary and current details (every step with its state) and the activities' summaries.
  const tab = page.getByText('User Metadata', { exact: true }).first();
  await tab.waitFor({ timeout: 60_000 });
  await tab.click();
  await page.getByText('Current Details', { exact: true }).first().waitFor({ timeout: 30_000 });
  await sleep(2000);
  await page.screenshot({ path: png });
}

async function shootReport(page: Page, html: string, png: string): Promise<void> {
  // The report's first screen: the verdict and the checks, each with expected and observed.
  await page.setViewportSize({ width: 1280, height: 1000 });
  await page.goto(pathToFileURL(html).href, { waitUntil: 'load' });
  await page.screenshot({ path: png });
}
