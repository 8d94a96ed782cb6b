import { readFileSync } from 'node:fs';

/** The package's version, as npm installed it (package.json beside src/). */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}
