import type { IncomingMessage, ServerResponse } from 'node:http';
import type { OutsideRun } from './host.ts';

export const OUTSIDE_PATH = '/outside/exec';
/** argv is a handful of words; anything larger is not a command. */
const MAX_BODY = 64 * 1024;

/**
 * `POST /outside/exec` with `{"argv": [...]}`: runs it on the outside host and answers
 * `{"stdout", "stderr", "exitCode"}`. A client that goes away (its timeout, its abort) stops the
 * command, as `docker exec` ends when its client does.
 */
export function handleOutside(run: (argv: readonly string[], signal: AbortSignal) => Promise<OutsideRun>, log: (line: string) => void) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > MAX_BODY) req.destroy();
    });
    req.on('end', () => {
      const argv = parseArgv(body);
      if (!argv) {
        res.writeHead(400, { 'Content-Type': 'text/plain' }).end('expected {"argv": ["cmd", "arg", ...]}\n');
        return;
      }
      const gone = new AbortController();
      res.on('close', () => gone.abort());
      log(`outside host: ${argv.join(' ')}`);
      void run(argv, gone.signal).then((result) => {
        if (!gone.signal.aborted) res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(result));
      });
    });
  };
}

function parseArgv(body: string): string[] | undefined {
  try {
    const argv = (JSON.parse(body) as { argv?: unknown }).argv;
    return Array.isArray(argv) && argv.length > 0 && argv.every((a) => typeof a === 'string') ? argv : undefined;
  } catch {
    return undefined;
  }
}
