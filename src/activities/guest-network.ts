import { ConsoleQueue } from '../cluster/console/console-queue.ts';
import { shellQuote } from '../cluster/console/quote.ts';
import { kubeConfigFor } from '../cluster/kube.ts';
import type { GuestNetworkReport, GuestNetworkRequest } from '../model/activities.ts';
import { withProgress } from './heartbeat.ts';
import { consoleOptionsFor } from './probes.ts';

const COMMANDS = { addresses: ['ip', '-j', 'addr', 'show'], routes: ['ip', '-j', 'route', 'show'] } as const;

/**
 * What a VM itself sees of its network: `ip -j addr show` and `ip -j route show` typed on its
 * serial console, as the talk shows `ip a` and `ip r` in vm-a. Only reads, so a retry is safe.
 */
export function inspectGuestNetwork(req: GuestNetworkRequest): Promise<GuestNetworkReport> {
  return withProgress(async (progress, signal) => {
    const consoles = new ConsoleQueue(kubeConfigFor(req.cluster), consoleOptionsFor(req.guest, req.timing.connectTimeoutSeconds, signal, progress));
    const timeoutMs = (req.timing.connectTimeoutSeconds * 2 + 15) * 1000;
    return consoles.run(req.vm, async (shell) => {
      const out: Partial<GuestNetworkReport> = {};
      for (const [what, argv] of Object.entries(COMMANDS) as [keyof typeof COMMANDS, readonly string[]][]) {
        progress(`${req.vm.namespace}/${req.vm.name}: ${shellQuote(argv)}`);
        const r = await shell.exec(argv, timeoutMs);
        out[what] = { command: shellQuote(argv), output: r.output.trim(), exitCode: r.exitCode };
      }
      return out as GuestNetworkReport;
    });
  });
}
