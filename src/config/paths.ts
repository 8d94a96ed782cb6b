import envPaths from 'env-paths';
import { join } from 'node:path';

/**
 * Where udn-demo keeps what outlives a clone: built binaries (cache) and the dev server's
 * database, pidfiles and logs (data). XDG variables are honoured, so CI can point them elsewhere.
 */
const base = envPaths('udn-demo', { suffix: '' });

export const paths = {
  cacheDir: process.env.UDN_DEMO_CACHE_DIR ?? base.cache,
  dataDir: process.env.UDN_DEMO_DATA_DIR ?? base.data,
  get binDir(): string {
    return join(this.cacheDir, 'bin');
  },
  get devServerDir(): string {
    return join(this.dataDir, 'dev-server');
  },
};
