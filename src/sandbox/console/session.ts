import { pause } from './net-tools.ts';
import type { Guest } from './guest.ts';
import { runLine } from './shell.ts';

/**
 * One connection to a guest's serial console: a terminal line discipline (echo, backspace,
 * ^C, typeahead) in front of agetty's login and a bash prompt. Output uses the tty's CRLF.
 */
export class ConsoleSession {
  private line = '';
  private lastWasCr = false;
  private readonly lines: string[] = [];
  private working = false;
  private foreground: AbortController | undefined;
  private closed = false;

  constructor(
    private readonly g: Guest,
    private readonly write: (text: string) => void,
    /** Called with each non-empty line the shell is about to run (fault injection hooks in here). */
    private readonly onCommand: (line: string) => void = () => undefined,
  ) {}

  input(data: string): void {
    for (const ch of data) {
      if (ch === '\n' && this.lastWasCr) {
        this.lastWasCr = false;
        continue;
      }
      this.lastWasCr = ch === '\r';
      if (ch === '\r' || ch === '\n') {
        if (this.echoing()) this.emit('\n');
        this.lines.push(this.line);
        this.line = '';
        void this.drain();
      } else if (ch === '\x03') {
        this.emit('^C\n');
        this.line = '';
        if (this.foreground) this.foreground.abort();
        else if (!this.working && this.g.state === 'shell') this.emit(this.g.prompt());
      } else if (ch === '\x7f' || ch === '\b') {
        this.line = this.line.slice(0, -1);
      } else if (ch >= ' ' || ch === '\t') {
        this.line += ch;
        if (this.echoing()) this.emit(ch);
      }
    }
  }

  close(): void {
    this.closed = true;
    this.foreground?.abort();
  }

  private echoing(): boolean {
    return this.g.echo && this.g.state !== 'password';
  }

  private emit(text: string): void {
    if (!this.closed) this.write(text.replace(/\r?\n/g, '\r\n'));
  }

  private async drain(): Promise<void> {
    if (this.working) return;
    this.working = true;
    try {
      for (let l = this.lines.shift(); l !== undefined && !this.closed; l = this.lines.shift()) await this.handle(l);
    } finally {
      this.working = false;
    }
  }

  private async handle(line: string): Promise<void> {
    const g = this.g;
    if (g.state === 'login') {
      if (line.trim() === '') return this.emit(`\n${g.hostname} login: `);
      g.pendingUser = line.trim();
      g.state = 'password';
      return this.emit('Password: ');
    }
    if (g.state === 'password') {
      const ok = g.pendingUser === g.credentials.user && g.credentials.password !== '' && line === g.credentials.password;
      if (!ok) {
        // pam_faildelay: a wrong password costs about two seconds.
        await pause(2 * g.ctx.second, { out: () => undefined, err: () => undefined, signal: new AbortController().signal });
        g.state = 'login';
        return this.emit(`\nLogin incorrect\n${g.hostname} login: `);
      }
      g.state = 'shell';
      g.user = g.pendingUser;
      g.echo = true;
      return this.emit(`Last login: ${new Date().toUTCString()} on ttyS0\n${g.prompt()}`);
    }
    if (line.trim() !== '') this.onCommand(line);
    if (this.closed) return;
    this.foreground = new AbortController();
    const io = { out: (s: string) => this.emit(s), err: (s: string) => this.emit(s), signal: this.foreground.signal };
    const effect = line.trim() === '' ? 'none' : await runLine(line, g, io);
    this.foreground = undefined;
    if (effect === 'logout') {
      g.state = 'login';
      g.user = '';
      return this.emit(`logout\n\n\nFedora Linux 41 (Cloud Edition)\nKernel 6.11.4-301.fc41.x86_64 on an x86_64 (ttyS0)\n\n${g.hostname} login: `);
    }
    this.emit(g.prompt());
  }
}
