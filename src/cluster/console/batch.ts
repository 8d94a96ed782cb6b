import { shellQuote } from './quote.ts';

/**
 * Under the 4,096 bytes a tty takes in one line (N_TTY_BUF_SIZE): a line typed while the guest's
 * bash is still busy sits in that buffer, and a longer one would lose its end.
 */
export const BATCH_LINE_BYTES = 3_500;

/** Hex digits of a line's id (GuestShell: 6 random bytes). */
const ID_CHARS = 12;

/**
 * One command line for several commands: each between a begin and an end marker, the end one
 * carrying its exit status. The markers' halves are joined by printf, so the echo of the line
 * cannot produce them; `;` runs every command whatever the one before it did, as typing them
 * one by one would.
 */
export function batchLine(id: string, commands: readonly (readonly string[])[]): string {
  return commands.map((argv, i) => framed(id, i, argv)).join('; ');
}

function framed(id: string, index: number, argv: readonly string[]): string {
  return `printf '%s%s\\n' __UDN ${id}-${index}B; ${shellQuote(argv)}; printf '%s%s:%s\\n' __UDN ${id}-${index}E $?`;
}

/** How many of the leading `commands` fit in one line of at most BATCH_LINE_BYTES (always at least one). */
export function batchFits(commands: readonly (readonly string[])[]): number {
  const id = '0'.repeat(ID_CHARS);
  let bytes = 0;
  for (let i = 0; i < commands.length; i++) {
    bytes += Buffer.byteLength(framed(id, i, commands[i]!)) + '; '.length;
    if (bytes > BATCH_LINE_BYTES) return Math.max(1, i);
  }
  return commands.length;
}

/** Any marker of the batch `id`: group 1 the command's index, group 2 the exit status (end markers only). */
export function batchMarker(id: string): RegExp {
  return new RegExp(`__UDN${id}-(\\d+)(?:B|E:(\\d+))\\r?\\n`);
}

export type Framed = { index: number; output: string; exitCode: number } | { index: number; missing: string };

/**
 * Reads one batch's markers as they arrive, in order: a command's output is exactly what came
 * between its own begin and end marker. A command whose marker never came (garbled on the
 * console) has no output of its own to go by and is reported missing; the commands after it
 * still get theirs.
 */
export class BatchFrames {
  /** The first command not settled yet. */
  next = 0;
  private open: number | undefined;

  constructor(readonly count: number) {}

  get done(): boolean {
    return this.next >= this.count;
  }

  /** `before`: what the console printed since the previous marker; `marker`: a match of batchMarker. Returns the commands it settles. */
  marker(before: string, marker: RegExpExecArray): Framed[] {
    const index = Number(marker[1]);
    if (index < this.next || index >= this.count) return [];
    const settled: Framed[] = [];
    for (let i = this.next; i < index; i++) settled.push({ index: i, missing: this.open === i ? 'its end marker never came' : 'its begin marker never came' });
    this.next = index;
    if (marker[2] === undefined) {
      this.open = index;
      return settled;
    }
    settled.push(this.open === index ? { index, output: before.replace(/\r\n/g, '\n'), exitCode: Number(marker[2]) } : { index, missing: 'its begin marker never came' });
    this.open = undefined;
    this.next = index + 1;
    return settled;
  }
}
