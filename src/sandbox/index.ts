/** The sandbox cluster provider's public surface; everything else in src/sandbox is internal. */
export { DEFAULT_EMULATION, sandboxDir, sandboxDown, sandboxStatus, sandboxUp, type SandboxStatus, type UpOptions } from './lifecycle.ts';
export type { EmulationOptions } from './state.ts';
export { PROFILES, type ProfileName } from './emulators/latency.ts';
export { loadFaults, type Faults } from './emulators/faults.ts';
export { outsideExec } from './outside/client.ts';
