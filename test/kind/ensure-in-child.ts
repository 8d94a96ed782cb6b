/**
 * Runs the kind provider's ensure in a process of its own, as a worker does, so a test can
 * SIGKILL it halfway (a crashed worker). Its one argument: JSON { env, dataDir, clusterName }.
 */
import { kindProvider } from '../../src/cluster/providers/kind/index.ts';
import { configSchema } from '../../src/config/schema.ts';

const { env, dataDir, clusterName } = JSON.parse(process.argv[2] ?? '{}') as { env: NodeJS.ProcessEnv; dataDir: string; clusterName: string };
const provider = kindProvider(configSchema.parse({}).cluster.kind, { env, dataDir, problems: async () => [] });
await provider.ensure(clusterName, (line) => process.stdout.write(`${line}\n`));
