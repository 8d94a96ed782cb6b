import { randomBytes } from 'node:crypto';
import { shellQuote } from './quote.ts';
import { BatchFrames, batchCleanup, batchLine, batchMarker } from './batch.ts';
import type { ConsoleConnection } from './connection.ts';
import { ConsoleTimeout, LoginIncorrect } from './errors.ts';

export interface GuestCredentials {
  user: string;
  password: string;
}

export interface ShellTimeouts {
  /** For the login prompt and the first shell prompt (the upstream e2e allows 40 s and 4 min). */
  loginMs: number;
}

export interface ExecResult {
  /** What the command printed (stdout and stderr share the terminal), CRLF normalised. */
  output: string;
  exitCode: number;
  durationMs: number;
}

/** Receives what the console showed, a line or several at a time. */
export type Recorder = (text: string) => void;

const PROMPT = /\[[^\]\r\n@]+@[^\]\r\n ]+ [^\]\r\n]*\][$#] $/;
const LOGIN_STATES = /(login: $)|(Password: $)|(\[[^\]\r\n@]+@[^\]\r\n ]+ [^\]\r\n]*\][$#] $)/;

/**
 * A logged-in shell on a guest's serial console, the way KubeVirt's e2e drives Fedora: newline,
 * then whatever the console shows (login prompt, a half-finished login left by someone else, or
 * a shell already open), and a quiet terminal. Commands go in as argument vectors and come back
 * with their output and exit status framed by markers that the echo of the command line cannot
 * produce.
 */
export class GuestShell {
  private constructor(
    private readonly conn: ConsoleConnection,
    /** The prompt the guest showed last: the transcript shows each command behind it. */
    private prompt: string,
    private readonly transcript: Recorder,
  ) {}

  /**
   * Logs in (or finds a shell open). `record`, when given, receives what a person at the console
   * would see: the login, each command behind its prompt, and its output; never what is typed at
   * the password prompt, nor the commands that only frame or set up the session.
   */
  static async login(conn: ConsoleConnection, creds: GuestCredentials, t: ShellTimeouts, record: Recorder = () => undefined): Promise<GuestShell> {
    conn.send('\r');
    let prompt = '';
    for (let round = 0; round < 4; round++) {
      const { match, before } = await conn.expect(LOGIN_STATES, t.loginMs, 'login prompt or shell prompt');
      if (match[3]) {
        prompt = match[3];
        break;
      }
      if (match[2]) {
        // Someone left the console at a password prompt: finish that attempt and start over.
        conn.send('\r');
        await conn.expect(/login: $/, t.loginMs, 'login prompt');
        conn.send('\r');
        continue;
      }
      conn.send(`${creds.user}\r`);
      record(`${lastLine(before)}${match[1]}${creds.user}`);
      await conn.expect(/Password: $/, t.loginMs, 'password prompt');
      conn.send(`${creds.password}\r`);
      // The guest does not echo a password, and neither does the transcript.
      record('Password:');
      const after = await conn.expect(/(Login incorrect)|(\[[^\]\r\n@]+@[^\]\r\n ]+ [^\]\r\n]*\][$#] $)/, t.loginMs, 'shell prompt after login');
      if (after.match[1]) {
        record('Login incorrect');
        throw new LoginIncorrect(`${conn.vmi.namespace}/${conn.vmi.name}: Login incorrect for user "${creds.user}"`);
      }
      prompt = after.match[2]!;
      break;
    }
    const shell = new GuestShell(conn, prompt, record);
    // Wide and silent: no wrapped lines, no echo of what we type.
    await shell.execLine(shellQuote(['stty', '-echo', 'cols', '500', 'rows', '500']), t.loginMs, false);
    return shell;
  }

  /** Runs `argv` in the foreground; on timeout interrupts it (^C) and rejects. */
  async exec(argv: readonly string[], timeoutMs: number): Promise<ExecResult> {
    return this.execLine(shellQuote(argv), timeoutMs, true);
  }

  /**
   * Runs several commands as one command line, side by side (batchLine), each with its own
   * timeout, counted from the end of the one before it in the line. `settled` hears each command as soon as it ends: its
   * result, or the error it ends with — a command whose markers did not come fails alone; on a
   * timeout the line is interrupted (^C), the commands not yet ended fail with the timeout, and
   * those still running are stopped.
   * Rejects only when the console drops: the commands not yet settled have then not run, or not
   * to the end.
   */
  async execBatch(commands: readonly { argv: readonly string[]; timeoutMs: number }[], settled: (index: number, result: ExecResult | Error) => void): Promise<void> {
    const id = randomBytes(6).toString('hex');
    const frames = new BatchFrames(commands.length);
    const marker = batchMarker(id);
    this.conn.send(`${batchLine(id, commands.map((c) => c.argv))}\r`);
    let since = Date.now();
    while (!frames.done) {
      const current = commands[frames.next]!;
      let seen;
      try {
        seen = await this.conn.expect(marker, Math.max(1, current.timeoutMs - (Date.now() - since)), `end of "${shellQuote(current.argv)}"`);
      } catch (err) {
        if (!(err instanceof ConsoleTimeout)) throw err;
        this.transcript(`${this.prompt}${shellQuote(current.argv)}`);
        await this.interrupt(true);
        for (let i = frames.next; i < commands.length; i++) settled(i, err);
        await this.execLine(batchCleanup(id, commands.length), 5_000, false);
        return;
      }
      for (const f of frames.marker(seen.before, seen.match)) {
        const argv = commands[f.index]!.argv;
        // Each command behind the prompt with its output, as if typed one by one: the line itself, markers and all, is ours.
        this.transcript(`${this.prompt}${shellQuote(argv)}`);
        if ('missing' in f) {
          settled(f.index, new Error(`no output of "${shellQuote(argv)}" could be told apart: ${f.missing}`));
          continue;
        }
        if (f.output !== '') this.transcript(f.output);
        settled(f.index, { output: f.output, exitCode: f.exitCode, durationMs: Date.now() - since });
      }
      since = Date.now();
    }
    this.prompt = (await this.conn.expect(PROMPT, 5_000, 'prompt')).match[0];
  }

  /**
   * Starts `argv` in the background with its output to `file` in the guest, so it outlives this
   * session; another command collects the file later. Resolves with its pid, which the same
   * command line records in `pidFile` when given (no window in which a crash leaves it unrecorded).
   */
  async startBackground(argv: readonly string[], file: string, timeoutMs: number, pidFile?: string): Promise<number> {
    const record = pidFile ? `echo $! > ${shellQuote([pidFile])}; cat ${shellQuote([pidFile])}` : 'echo $!';
    const r = await this.execLine(`nohup ${shellQuote(argv)} > ${shellQuote([file])} 2>&1 & ${record}`, timeoutMs, true);
    const pid = Number(r.output.trim().split('\n').at(-1));
    if (!Number.isInteger(pid) || pid <= 0) throw new Error(`could not start ${argv[0]} in the background: ${r.output.trim().slice(0, 200)}`);
    return pid;
  }

  /** The file's content, or undefined when it does not exist. */
  async readFile(path: string, timeoutMs: number): Promise<string | undefined> {
    const r = await this.exec(['cat', path], timeoutMs);
    return r.exitCode === 0 ? r.output : undefined;
  }

  /** Whether the process with the pid recorded in `pidFile` is still running. */
  async alive(pidFile: string, timeoutMs: number): Promise<number | undefined> {
    const pid = Number((await this.readFile(pidFile, timeoutMs))?.trim());
    if (!Number.isInteger(pid) || pid <= 0) return undefined;
    return (await this.exec(['kill', '-0', String(pid)], timeoutMs)).exitCode === 0 ? pid : undefined;
  }

  /** `shown`: the transcript shows the line and its output (the markers that frame them are ours, never shown). */
  private async execLine(line: string, timeoutMs: number, shown: boolean): Promise<ExecResult> {
    const id = randomBytes(6).toString('hex');
    const [begin, end] = [`__UDN${id}B`, `__UDN${id}E`];
    const started = Date.now();
    this.conn.send(`printf '%s%s\\n' __UDN ${id}B; ${line}; printf '%s%s:%s\\n' __UDN ${id}E $?\r`);
    if (shown) this.transcript(`${this.prompt}${line}`);
    await this.conn.expect(new RegExp(`${begin}\\r?\\n`), timeoutMs, `start of "${line}"`);
    let done;
    try {
      done = await this.conn.expect(new RegExp(`${end}:(\\d+)\\r?\\n`), Math.max(1, timeoutMs - (Date.now() - started)), `end of "${line}"`);
    } catch (err) {
      if (err instanceof ConsoleTimeout) await this.interrupt(shown);
      throw err;
    }
    const output = done.before.replace(/\r\n/g, '\n');
    if (shown && output !== '') this.transcript(output);
    this.prompt = (await this.conn.expect(PROMPT, 5_000, 'prompt')).match[0];
    return { output, exitCode: Number(done.match[1]), durationMs: Date.now() - started };
  }

  private async interrupt(shown: boolean): Promise<void> {
    this.conn.send('\x03');
    if (shown) this.transcript('^C');
    await this.conn.expect(PROMPT, 5_000, 'prompt after interrupting').catch(() => undefined);
  }
}

/** The unfinished last line of what the guest printed (a login prompt's host name). */
function lastLine(text: string): string {
  return text.slice(text.lastIndexOf('\n') + 1).replace(/\r/g, '');
}
