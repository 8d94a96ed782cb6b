import { parse, type ParseEntry } from 'shell-quote';
import type { Guest } from './guest.ts';
import type { Io } from './io.ts';
import { iperf3 } from './iperf3.ts';
import { ip } from './ip.ts';
import { curl, pause, ping } from './net-tools.ts';
import { python3 } from './python.ts';

type Command = (args: string[], g: Guest, io: Io) => Promise<number>;

interface Simple {
  words: (string | { var: string })[];
  redirects: { fd: 1 | 2; to: string | 1; append: boolean }[];
}

/** A command line's effect on the session beyond its output. */
export type LineEffect = 'none' | 'logout';

/**
 * Enough of bash to run what udn-demo and the talk's demo script type: `;`, `&&`, `||`, `&` (background),
 * `wait`, `>`, `>>`, `2>&1`, quoting, `NAME=value` and `NAME=$VAR`, and `$?`, `$!`, `$USER`,
 * `$HOME`. Pipelines are refused with a message rather than emulated wrongly.
 */
export async function runLine(line: string, g: Guest, io: Io): Promise<LineEffect> {
  let tokens: ParseEntry[];
  try {
    tokens = parse(line, (key) => ({ var: key }) as unknown as string);
  } catch {
    io.err('bash: syntax error\n');
    g.lastStatus = 2;
    return 'none';
  }
  let current: Simple = { words: [], redirects: [] };
  const list: { cmd: Simple; then: string }[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (typeof t === 'string' || isVar(t)) {
      current.words.push(t as string | { var: string });
      continue;
    }
    if ('comment' in t) break;
    if ('pattern' in t) {
      current.words.push(String(t.pattern));
      continue;
    }
    const op = String(t.op);
    if (op === '>' || op === '>>') {
      const fd = current.words.at(-1) === '2' ? (current.words.pop(), 2) : 1;
      current.redirects.push({ fd, to: String(tokens[++i]), append: op === '>>' });
    } else if (op === '>&') {
      const fd = current.words.at(-1) === '2' ? (current.words.pop(), 2) : 1;
      current.redirects.push({ fd, to: tokens[++i] === '1' ? 1 : String(tokens[i]), append: false });
    } else if (op === ';' || op === '&&' || op === '||' || op === '&') {
      list.push({ cmd: current, then: op });
      current = { words: [], redirects: [] };
    } else {
      io.err(`bash: "${op}": not supported by the sandbox's emulated shell\n`);
      g.lastStatus = 2;
      return 'none';
    }
  }
  if (current.words.length > 0) list.push({ cmd: current, then: ';' });

  let skip = false;
  for (const { cmd, then } of list) {
    if (!skip) {
      const words = cmd.words.map((w) => (typeof w === 'string' ? w : variable(w.var, g)));
      const assignment = assignmentOf(cmd.words, words);
      if (assignment) {
        g.vars.set(assignment.name, assignment.value);
        g.lastStatus = 0;
      } else if (words[0] === 'exit' || words[0] === 'logout') {
        if (g.user === 'root' && g.credentials.user !== 'root') g.user = g.credentials.user;
        else return 'logout';
      } else if (then === '&') {
        const pid = g.pid();
        const job = new AbortController();
        g.processes.set(pid, { name: words.find((w) => w !== 'nohup' && w !== 'sudo') ?? '', stop: (signal) => job.abort(signal) });
        g.lastBackground = pid;
        io.out(`[1] ${pid}\n`);
        g.jobs.set(pid, execute(words, cmd.redirects, g, { ...io, signal: job.signal }).finally(() => g.processes.delete(pid)));
        g.lastStatus = 0;
      } else {
        g.lastStatus = await execute(words, cmd.redirects, g, io);
      }
    }
    skip = (then === '&&' && g.lastStatus !== 0) || (then === '||' && g.lastStatus === 0);
  }
  return 'none';
}

function isVar(t: ParseEntry): boolean {
  return typeof t === 'object' && t !== null && 'var' in t;
}

/**
 * `NAME=value`, or `NAME=$VAR` (which shell-quote splits into `NAME=` and the variable): a
 * command of its own, as bash runs it; the variable is the session's.
 */
function assignmentOf(raw: Simple['words'], words: string[]): { name: string; value: string } | undefined {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(words[0] ?? '');
  if (!m || typeof raw[0] !== 'string') return undefined;
  if (words.length === 1) return { name: m[1]!, value: m[2]! };
  if (words.length === 2 && m[2] === '' && isVar(raw[1] as ParseEntry)) return { name: m[1]!, value: words[1]! };
  return undefined;
}

function variable(name: string, g: Guest): string {
  if (name === '?') return String(g.lastStatus);
  if (name === '!') return g.lastBackground ? String(g.lastBackground) : '';
  if (name === 'USER') return g.user;
  if (name === 'HOME') return g.user === 'root' ? '/root' : `/home/${g.user}`;
  if (name === 'HOSTNAME') return g.hostname;
  return g.vars.get(name) ?? '';
}

async function execute(words: string[], redirects: Simple['redirects'], g: Guest, io: Io): Promise<number> {
  if (words.length === 0) return g.lastStatus;
  const sinks = { 1: io.out, 2: io.err } as Record<1 | 2, (s: string) => void>;
  for (const r of redirects) {
    if (r.to === 1) {
      sinks[2] = sinks[1];
      continue;
    }
    const file = r.to;
    if (file !== '/dev/null' && !r.append) g.files.set(file, '');
    sinks[r.fd] = file === '/dev/null' ? () => undefined : (s) => g.files.set(file, (g.files.get(file) ?? '') + s);
  }
  const [name, ...args] = words;
  const command = COMMANDS[name!];
  const redirected = { out: sinks[1], err: sinks[2], signal: io.signal };
  if (!command) {
    redirected.err(`bash: ${name}: command not found\n`);
    return 127;
  }
  return command(args, g, redirected);
}

const COMMANDS: Record<string, Command> = {
  true: async () => 0,
  false: async () => 1,
  cd: async () => 0,
  echo: async (args, _g, io) => {
    io.out(`${args.join(' ')}\n`);
    return 0;
  },
  printf: async (args, _g, io) => {
    io.out(printf(args[0] ?? '', args.slice(1)));
    return 0;
  },
  hostname: async (_a, g, io) => {
    io.out(`${g.hostname}\n`);
    return 0;
  },
  whoami: async (_a, g, io) => {
    io.out(`${g.user}\n`);
    return 0;
  },
  stty: async (args, g) => {
    if (args.includes('-echo')) g.echo = false;
    if (args.includes('echo')) g.echo = true;
    return 0;
  },
  sleep: async (args, g, io) => ((await pause(Number(args[0] ?? 0) * g.ctx.second, io)) ? 0 : 130),
  cat: async (args, g, io) => {
    let status = 0;
    for (const f of args) {
      const content = g.files.get(f);
      if (content === undefined) {
        io.err(`cat: ${f}: No such file or directory\n`);
        status = 1;
      } else io.out(content);
    }
    return status;
  },
  rm: async (args, g) => {
    for (const f of args.filter((a) => !a.startsWith('-'))) g.files.delete(f);
    return 0;
  },
  sudo: async (args, g, io) => {
    // The cloud image's default user has passwordless sudo; `sudo su` / `sudo -i` become root.
    if (args[0] === 'su' || args[0] === '-i') {
      g.user = 'root';
      return 0;
    }
    const user = g.user;
    g.user = 'root';
    try {
      return await execute(args, [], g, io);
    } finally {
      g.user = user;
    }
  },
  nohup: async (args, g, io) => execute(args, [], g, io),
  wait: async (args, g, io) => {
    // bash: the last pid's status; an unknown pid is 127; ^C ends the wait (130), not the jobs.
    let status = 0;
    for (const a of args.length > 0 ? args : [...g.jobs.keys()].map(String)) {
      const job = g.jobs.get(Number(a));
      if (!job) {
        io.err(`bash: wait: pid ${a} is not a child of this shell\n`);
        status = 127;
        continue;
      }
      const interrupted = new Promise<number>((resolve) => (io.signal.aborted ? resolve(130) : io.signal.addEventListener('abort', () => resolve(130), { once: true })));
      status = await Promise.race([job, interrupted]);
      if (status === 130 && io.signal.aborted) return 130;
      g.jobs.delete(Number(a));
    }
    return status;
  },
  kill: async (args, g, io) => {
    const signal = signalOf(args);
    let status = 0;
    for (const a of args.filter((x) => !x.startsWith('-'))) {
      const p = g.processes.get(Number(a));
      if (!p) {
        io.err(`bash: kill: (${a}) - No such process\n`);
        status = 1;
      } else if (signal !== '0') p.stop(signal);
    }
    return status;
  },
  pkill: async (args, g) => {
    const name = args.filter((x) => !x.startsWith('-')).at(-1);
    const matching = [...g.processes.values()].filter((p) => p.name === name);
    matching.forEach((p) => p.stop(signalOf(args)));
    return matching.length > 0 ? 0 : 1;
  },
  curl,
  ping,
  ip,
  iperf3,
  python3,
};

const SIGNALS: Record<string, string> = { '2': 'SIGINT', INT: 'SIGINT', SIGINT: 'SIGINT', '9': 'SIGKILL', KILL: 'SIGKILL', SIGKILL: 'SIGKILL', '15': 'SIGTERM', TERM: 'SIGTERM', SIGTERM: 'SIGTERM', '0': '0' };

/** `kill -INT`, `-2`, `-s INT`, `-0`; SIGTERM when none is given. */
function signalOf(args: string[]): string {
  const i = args.indexOf('-s');
  const name = i >= 0 ? args[i + 1] : args.find((a) => a.startsWith('-'))?.slice(1);
  return (name && SIGNALS[name.toUpperCase()]) ?? 'SIGTERM';
}

/** printf's %s, %d, %% and backslash escapes; the format is reused while arguments remain, as in bash. */
export function printf(format: string, args: string[]): string {
  const unescape = (s: string) => s.replace(/\\([nt\\])/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : '\\'));
  let out = '';
  let rest = [...args];
  do {
    let used = 0;
    out += unescape(format).replace(/%([sd%])/g, (_, c: string) => {
      if (c === '%') return '%';
      used++;
      const v = rest.shift() ?? '';
      return c === 'd' ? String(Number.parseInt(v, 10) || 0) : v;
    });
    if (used === 0) break;
  } while (rest.length > 0);
  return out;
}
