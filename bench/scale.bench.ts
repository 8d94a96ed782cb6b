/**
 * Item 5 of [8/8]: scale. TenantsWorkflow (src/workflows/tenants-workflow.ts) with N = 1, 4, 16
 * and 64 tenants on one sandbox (realistic profile ×SCALE), each N rolled out from a cluster
 * without tenants by a fresh `udn-demo worker` process. Per N: the makespan (the workflow's own
 * phase times: cluster check, rollout, isolation), history events per workflow (the parent and
 * each tenant's two children), and the worker process's CPU time and peak RSS during the run (its
 * high-water mark is reset once it polls, so bundling the workflow code is not counted).
 */
import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { defineBenchmark, dist, MiB, ratio, type Figure } from './harness.ts';

const SCALE = 0.1;
/** Temporal's default limits per workflow execution (history.maxEvents, size error limit). */
const EVENT_LIMIT = 51_200;
const SIZE_LIMIT_BYTES = 50 * MiB;

interface Sample {
  n: number;
  makespanMs: number;
  rolloutMs: number;
  isolationMs: number;
  pairs: number;
  parentEvents: number;
  parentBytes: number;
  childEvents: number[];
  workerCpuMs: number;
  workerPeakMiB: number;
  workerIdleMiB: number;
}

export default defineBenchmark({
  title: `Scale: TenantsWorkflow with N tenants (sandbox, realistic ×${SCALE})`,
  async run(ctx): Promise<Figure[]> {
    const data = process.env.UDN_DEMO_DATA_DIR!;
    const [{ spawnWorker, stopWorker }, { dynamicConfigArgs }, { locateTemporalCli }, { kubeConfigFor }, { deleteNamespaces }, { providerFor }, { configSchema }, { installRuntime }, tenants] = await Promise.all([
      import('../test/helpers/crash.ts'),
      import('../src/client/dev-server-config.ts'),
      import('../src/client/temporal-binary.ts'),
      import('../src/cluster/kube.ts'),
      import('../src/cluster/namespaces.ts'),
      import('../src/cluster/providers/index.ts'),
      import('../src/config/schema.ts'),
      import('../src/worker.ts'),
      import('../src/workflows/tenants-input.ts'),
    ]);
    const ns = (process.env.BENCH_SCALE_N ?? (ctx.quick ? '1,4' : '1,4,16,64')).split(',').map(Number);
    installRuntime(join(ctx.tmpDir, 'sdk.log'));
    const { path } = await locateTemporalCli({ log: () => undefined });
    const env = await TestWorkflowEnvironment.createLocal({ server: { executable: { type: 'existing-path', path }, ip: '127.0.0.1', extraArgs: dynamicConfigArgs() } });
    // Deny probes settle after 1 s of consistent drops (5 s by default): scaled down like the profile.
    const config = configSchema.parse({
      cluster: { provider: 'sandbox' },
      sandbox: { profile: 'realistic', scale: SCALE },
      scenario: { probes: { consistentlySeconds: 1 } },
    });
    const provider = providerFor('sandbox', { sandbox: config.sandbox, kind: config.cluster.kind });
    const workerEnv = { TEMPORAL_ADDRESS: env.address, UDN_DEMO_DATA_DIR: data };
    const samples: Sample[] = [];

    /** `before`: the previous N's tenants being removed while this worker bundles its workflows. */
    const runOnce = async (n: number, before: Promise<void> = Promise.resolve()): Promise<Sample> => {
      const worker = spawnWorker(workerEnv);
      try {
        await Promise.all([worker.ready, before]);
        const cpuBefore = await cpuMs(worker.pid);
        const idle = await statusKiB(worker.pid, 'VmRSS');
        // Resets VmHWM to the current RSS (proc(5), clear_refs "5"): the peak from here on is the run's.
        await writeFile(`/proc/${worker.pid}/clear_refs`, '5');
        const input = { ...tenants.tenantsInputFromConfig(config), tenants: tenants.generatedTenants(n) };
        const handle = await env.client.workflow.start('TenantsWorkflow', { taskQueue: config.temporal.taskQueue, workflowId: `scale-${n}-${randomUUID().slice(0, 8)}`, args: [input] });
        const result = (await handle.result()) as import('../src/model/tenants.ts').TenantsResult;
        const workerCpuMs = (await cpuMs(worker.pid)) - cpuBefore;
        const peak = await statusKiB(worker.pid, 'VmHWM');
        if (result.status !== 'passed') {
          const failed = result.tenants.filter((t) => t.state !== 'ready').map((t) => `${t.namespace}: ${t.failure}`);
          throw new Error(`N=${n}: the run did not pass: ${[...failed, ...result.isolation.errors.map((e) => e.message), ...result.isolation.exceptions.slice(0, 3).map((o) => o.detail)].join('; ')}`);
        }
        const parent = await handle.fetchHistory();
        const events = async (id: string) => (await env.client.workflow.getHandle(id).fetchHistory()).events?.length ?? 0;
        const children = result.tenants.flatMap((t) => [`tenant/${t.namespace}`, ...(n > 1 ? [`isolation/${t.namespace}`] : [])]);
        const childEvents = await Promise.all(children.map((c) => events(`${handle.workflowId}/${c}`)));
        const at = (s: string | null) => Date.parse(s!);
        const p = result.phases;
        return {
          n,
          makespanMs: at(p.isolation.endedAt) - at(p.cluster.startedAt),
          rolloutMs: at(p.rollout.endedAt) - at(p.rollout.startedAt),
          isolationMs: at(p.isolation.endedAt) - at(p.isolation.startedAt),
          pairs: result.isolation.pairs,
          parentEvents: parent.events?.length ?? 0,
          parentBytes: Buffer.byteLength(historyToJSON(parent)),
          childEvents,
          workerCpuMs,
          workerPeakMiB: peak / 1024,
          workerIdleMiB: idle / 1024,
        };
      } finally {
        await stopWorker(worker);
      }
    };
    /** Every N starts from a cluster without tenants; removing them is not measured. */
    const reset = async (n: number) => {
      const ref = await provider.existing(config.cluster.name);
      if (!ref) throw new Error(`no sandbox ${config.cluster.name} in ${data} to reset`);
      await deleteNamespaces(kubeConfigFor(ref), tenants.generatedTenants(n).map((t) => t.namespace), { waitMs: 300_000 });
    };

    try {
      ctx.log('warm-up: N=1 (creates the sandbox)');
      await runOnce(1);
      let previous = 1;
      for (const n of ns) {
        const s = await runOnce(n, reset(previous));
        previous = n;
        samples.push(s);
        ctx.log(
          `N=${n}: makespan ${(s.makespanMs / 1000).toFixed(1)} s (rollout ${(s.rolloutMs / 1000).toFixed(1)} s, isolation ${(s.isolationMs / 1000).toFixed(1)} s, ${s.pairs} pairs); ` +
            `history ${s.parentEvents} events (${(s.parentBytes / 1024).toFixed(0)} KiB), children ≤ ${Math.max(...s.childEvents)}; worker CPU ${(s.workerCpuMs / 1000).toFixed(1)} s, peak RSS ${s.workerPeakMiB.toFixed(0)} MiB`,
        );
      }
    } finally {
      await env.teardown();
      await provider.remove(config.cluster.name);
    }

    const one = samples.find((s) => s.n === 1) ?? samples[0]!;
    const largest = samples.at(-1)!;
    ctx.note(`tenants tenant-01 … tenant-N, each: namespace, primary Layer2 UDN, webserver pod, VMs vm-a and vm-b; isolation: every tenant's vm-a pings every other tenant's vm-b (N·(N−1) pairs), ${config.tenants.probeConcurrency} tenants probing at once; deny probes settle after 1 s of consistent drops`);
    for (const s of samples) {
      ctx.note(
        `N=${s.n}: makespan ${(s.makespanMs / 1000).toFixed(1)} s = cluster check + rollout ${(s.rolloutMs / 1000).toFixed(1)} s + isolation ${(s.isolationMs / 1000).toFixed(1)} s (${s.pairs} pairs); parent history ${s.parentEvents} events, ${(s.parentBytes / 1024).toFixed(0)} KiB; ` +
          `child histories ${Math.min(...s.childEvents)}–${Math.max(...s.childEvents)} events; worker CPU ${(s.workerCpuMs / 1000).toFixed(1)} s; worker peak RSS ${s.workerPeakMiB.toFixed(0)} MiB (idle ${s.workerIdleMiB.toFixed(0)} MiB)`,
      );
    }
    const exponent = (a: Sample, b: Sample) => Math.log(b.makespanMs / a.makespanMs) / Math.log(b.n / a.n);
    const steps = samples.slice(1).map((s, i) => `${samples[i]!.n}→${s.n}: ${exponent(samples[i]!, s).toFixed(2)}`);
    ctx.note(`growth exponent k in makespan ∝ N^k between consecutive N (k < 1 is sub-linear): ${steps.join(', ')}`);
    return [
      ...samples
        .filter((s) => s !== one)
        .map((s) => ratio(`makespan: N=${s.n} / N=${one.n}`, '×', s.makespanMs / one.makespanMs, { key: s === largest })),
      ratio(`makespan growth exponent, N=${one.n} → N=${largest.n} (1 = linear)`, 'k', exponent(one, largest), { key: true }),
      ...samples.map((s) => ratio(`parent history at N=${s.n}: events / Temporal's ${EVENT_LIMIT.toLocaleString('en-US')} limit`, 'ratio', s.parentEvents / EVENT_LIMIT, { note: `${s.parentEvents} events, ${(s.parentBytes / 1024).toFixed(0)} KiB (${((s.parentBytes / SIZE_LIMIT_BYTES) * 100).toFixed(2)} % of 50 MiB)`, key: s === largest })),
      dist(`child workflows' history events at N=${largest.n} (each tenant's rollout and its probes)`, 'events', largest.childEvents),
      ...samples.map((s) => ratio(`worker CPU time / makespan at N=${s.n}`, 'cores', s.workerCpuMs / s.makespanMs)),
      ...samples.map((s) => ratio(`worker peak RSS during the run at N=${s.n}`, 'MiB', s.workerPeakMiB, { key: s === largest })),
      ratio(`worker CPU per tenant at N=${largest.n} / at N=${one.n}`, '×', largest.workerCpuMs / largest.n / (one.workerCpuMs / one.n)),
    ];
  },
});

/** utime + stime of a process, ms (proc(5): fields 14 and 15, in clock ticks of 10 ms on Linux). */
async function cpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function statusKiB(pid: number, field: 'VmRSS' | 'VmHWM'): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  if (!m) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(m[1]);
}
