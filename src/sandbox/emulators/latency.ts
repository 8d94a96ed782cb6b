/**
 * How long the emulated cluster takes for each transition. `instant` is for tests; `realistic`
 * follows the real demo on a laptop (pods in seconds, VM boot in tens of seconds, a migration in
 * about 15-20 s); `scale` shrinks or stretches it for demos and benchmarks.
 */
export interface LatencyProfile {
  udnReady: number;
  podStart: number;
  vmSchedule: number;
  vmBoot: number;
  agentConnect: number;
  migrationTargetStart: number;
  migrationTransfer: number;
  /** From a NetworkPolicy's creation until OVN has programmed it: traffic still flows meanwhile. */
  policyProgram: number;
  /** A live migration's switchover: the VM's network is cut while it moves to the target node. */
  migrationSwitchover: number;
  /** One second of guest time (ping intervals, curl timeouts); 0 makes guest commands instant. */
  guestSecond: number;
}

export const PROFILES: Record<'instant' | 'realistic', LatencyProfile> = {
  instant: { udnReady: 0, podStart: 0, vmSchedule: 0, vmBoot: 0, agentConnect: 0, migrationTargetStart: 0, migrationTransfer: 0, policyProgram: 0, migrationSwitchover: 0, guestSecond: 0 },
  realistic: { udnReady: 1_000, podStart: 3_000, vmSchedule: 2_000, vmBoot: 25_000, agentConnect: 8_000, migrationTargetStart: 8_000, migrationTransfer: 9_000, policyProgram: 2_000, migrationSwitchover: 800, guestSecond: 1_000 },
};

export type ProfileName = keyof typeof PROFILES;

export function latency(name: ProfileName, scale: number): LatencyProfile {
  const base = PROFILES[name];
  return Object.fromEntries(Object.entries(base).map(([k, v]) => [k, Math.round(v * scale)])) as unknown as LatencyProfile;
}

/** Milliseconds until `since + delayMs`; 0 or less means due. Restart-safe: derived from object timestamps. */
export function remaining(since: string | undefined, delayMs: number, now = Date.now()): number {
  if (!since) return delayMs;
  return Date.parse(since) + delayMs - now;
}

/** Watch caches hold timestamps as Dates; transitions compare ISO strings. */
export function iso(t: Date | string | undefined): string | undefined {
  return t === undefined ? undefined : new Date(t).toISOString();
}
