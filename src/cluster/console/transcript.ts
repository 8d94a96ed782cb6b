import type { ConsoleLine, ConsoleTail } from '../../model/heartbeat.ts';

/** Bounds of what a transcript keeps: it travels in every heartbeat, and into history when an activity fails. */
export const TRANSCRIPT_LIMITS = { lines: 40, bytes: 4096, lineChars: 240 };

/** Terminal escape sequences and control characters: a guest's output must not steer the terminal that shows it. */
const CONTROLS = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b[@-_]|[\x00-\x08\x0b-\x1f\x7f]/g;

/**
 * What the guest consoles of one activity showed, as a person at them would have seen it: the
 * last lines only (`TRANSCRIPT_LIMITS`), each sent to `onChange` as it is recorded. It records
 * only what it is given; the shell gives it what the guest printed and the commands it typed,
 * never what it types at a password prompt.
 */
export class Transcript {
  private seq = 0;
  private lines: ConsoleLine[] = [];
  private bytes = 0;

  constructor(private readonly onChange: (tail: Omit<ConsoleTail, 'attempt'>) => void) {}

  /** Records `text` (one line or several) as shown on `vm`'s console. */
  record(vm: string, text: string): void {
    for (const raw of text.replace(/\r\n?/g, '\n').replace(/\n$/, '').split('\n')) {
      const line = { vm, text: raw.replace(CONTROLS, '').slice(0, TRANSCRIPT_LIMITS.lineChars) };
      this.lines.push(line);
      this.bytes += size(line);
      this.seq++;
    }
    while (this.lines.length > TRANSCRIPT_LIMITS.lines || this.bytes > TRANSCRIPT_LIMITS.bytes) this.bytes -= size(this.lines.shift()!);
    this.onChange({ seq: this.seq, lines: [...this.lines] });
  }
}

function size(line: ConsoleLine): number {
  return Buffer.byteLength(line.vm) + Buffer.byteLength(line.text);
}
