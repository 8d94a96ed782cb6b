/**
 * Entry point of the fresh process `isolated()` (harness.ts) starts: imports a module, calls one of
 * its exports with a JSON argument, and sends back the result with the process's memory figures.
 * Usage (by the harness only): node --import tsx bench/isolated.ts MODULE EXPORT JSON_ARG
 */
import { pathToFileURL } from 'node:url';

const [module, exportName, arg] = process.argv.slice(2);

async function main(): Promise<void> {
  if (!module || !exportName || arg === undefined || !process.send) throw new Error('usage: node --import tsx bench/isolated.ts MODULE EXPORT JSON_ARG (through fork)');
  const mod = (await import(module.startsWith('file:') ? module : pathToFileURL(module).href)) as Record<string, unknown>;
  const fn = mod[exportName];
  if (typeof fn !== 'function') throw new Error(`${module} has no function export ${exportName}`);
  const rssBeforeBytes = process.memoryUsage().rss;
  const started = performance.now();
  const result: unknown = await fn(JSON.parse(arg));
  const ms = performance.now() - started;
  const peakRssBytes = process.resourceUsage().maxRSS * 1024;
  const run = { result, rssBeforeBytes, peakRssBytes, peakGrowthBytes: peakRssBytes - rssBeforeBytes, ms };
  await new Promise<void>((resolve, reject) => process.send!({ ok: true, run }, undefined, {}, (err) => (err ? reject(err) : resolve())));
}

main().then(
  () => process.disconnect?.(),
  (err: unknown) => {
    const error = err instanceof Error ? (err.stack ?? err.message) : String(err);
    process.send?.({ ok: false, error }, undefined, {}, () => process.exit(1));
    if (!process.send) {
      process.stderr.write(`${error}\n`);
      process.exit(1);
    }
  },
);
