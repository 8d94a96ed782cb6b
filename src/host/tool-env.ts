/**
 * The environment third-party programs run with (kind.sh and what it starts, pip, go, docker,
 * git): ours without TEMPORAL_*, so a Temporal API key or address never reaches a script we did
 * not write.
 */
export function toolEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('TEMPORAL_')));
}

/**
 * execa options that give a tool exactly `toolEnv(env)`: without `extendEnv: false`, execa merges
 * process.env (and its TEMPORAL_* variables) back in.
 */
export function toolOptions(env: NodeJS.ProcessEnv = process.env): { env: NodeJS.ProcessEnv; extendEnv: false } {
  return { env: toolEnv(env), extendEnv: false };
}
