import type { Guest } from './guest.ts';
import type { Io } from './io.ts';

/** What `ls -A ~` shows in the talk's Fedora guest: http.server lists it (directories end in /). */
const HOME = ['.bash_logout', '.bash_profile', '.bashrc', '.ssh/'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * python3 (3.13, Fedora 41's) for what the talk runs: `python3 -m http.server [-b|--bind ADDR]
 * [PORT]`, serving the home directory's listing at / until it is killed. Binding fails as the
 * socket does: an address the guest does not hold (Errno 99), a port in use (98), a privileged
 * port for a user (13). The request log goes to stderr, as BaseHTTPRequestHandler writes it.
 */
export async function python3(args: string[], g: Guest, io: Io): Promise<number> {
  if (args[0] !== '-m' || args[1] !== 'http.server') {
    io.err(`python3: the sandbox's guest runs only "python3 -m http.server"\n`);
    return 2;
  }
  let bind: string | undefined;
  let port = 8000;
  const rest = args.slice(2);
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (a === '-b' || a === '--bind') bind = rest[++i];
    else if (a.startsWith('--bind=')) bind = a.slice('--bind='.length);
    else if (/^\d+$/.test(a)) port = Number(a);
    else {
      io.err(`usage: server.py [-h] [--cgi] [-b ADDRESS] [-d DIRECTORY] [-p VERSION] [port]\nserver.py: error: unrecognized arguments: ${a}\n`);
      return 2;
    }
  }
  const self = g.ctx.self();
  const wildcard = bind === undefined || bind === '0.0.0.0' || bind === '::';
  if (!wildcard && bind !== '127.0.0.1' && bind !== self?.ip) return oserror(io, 'OSError: [Errno 99] Cannot assign requested address');
  if (port < 1024 && g.user !== 'root') return oserror(io, 'PermissionError: [Errno 13] Permission denied');
  if (g.http.has(port) || g.servers.has(port)) return oserror(io, 'OSError: [Errno 98] Address already in use');
  // Without --bind, http.server binds the dual-stack wildcard and says so.
  const shown = bind ?? '::';
  const url = shown.includes(':') ? `[${shown}]` : shown;
  io.out(`Serving HTTP on ${shown} port ${port} (http://${url}:${port}/) ...\n`);
  const log = (client: string, line: string) => io.err(`${client} - - [${logDate(new Date())}] ${line}\n`);
  g.http.set(port, {
    bind: wildcard ? undefined : bind,
    get: (path, client) => {
      const [status, body] = path === '/' ? [200, listing(path)] : [404, notFound()];
      if (status === 404) log(client, 'code 404, message File not found');
      log(client, `"GET ${path} HTTP/1.1" ${status} -`);
      return { status, body };
    },
  });
  await new Promise<void>((resolve) => io.signal.addEventListener('abort', () => resolve(), { once: true }));
  g.http.delete(port);
  // ^C is a KeyboardInterrupt that serve_forever's caller catches; a signal kills it outright.
  const reason = io.signal.reason as unknown;
  if (reason === 'SIGTERM') return 143;
  if (reason === 'SIGKILL') return 137;
  io.out('\nKeyboard interrupt received, exiting.\n');
  return 0;
}

function oserror(io: Io, line: string): number {
  // The frames between the two lines are CPython's own (runpy, http.server, socketserver).
  io.err(`Traceback (most recent call last):\n  ...\n${line}\n`);
  return 1;
}

/** SimpleHTTPRequestHandler.list_directory as Python 3.12 and 3.13 write it. */
function listing(path: string): string {
  const title = `Directory listing for ${path}`;
  const items = HOME.map((name) => `<li><a href="${name}">${name}</a></li>`);
  return [
    '<!DOCTYPE HTML>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<title>${title}</title>\n</head>`,
    `<body>\n<h1>${title}</h1>`,
    '<hr>\n<ul>',
    ...items,
    '</ul>\n<hr>\n</body>\n</html>\n',
  ].join('\n');
}

/** BaseHTTPRequestHandler's DEFAULT_ERROR_MESSAGE (3.12, 3.13) for 404. */
function notFound(): string {
  return `<!DOCTYPE HTML>
<html lang="en">
    <head>
        <meta charset="utf-8">
        <title>Error response</title>
    </head>
    <body>
        <h1>Error response</h1>
        <p>Error code: 404</p>
        <p>Message: File not found.</p>
        <p>Error code explanation: 404 - Nothing matches the given URI.</p>
    </body>
</html>
`;
}

/** log_date_time_string: `07/Feb/2025 10:12:13`, local time. */
function logDate(d: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getDate())}/${MONTHS[d.getMonth()]}/${d.getFullYear()} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}
