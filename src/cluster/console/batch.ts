import { shellQuote } from './quote.ts';

/**
 * Under the 4,096 bytes a tty takes in one line (N_TTY_BUF_SIZE): a line typed while the guest's
 * bash is still busy sits in that buffer, and a longer one would lose its end.
 */
export const BATCH_LINE_BYTES = 3_500;

/** Hex digits of a line's id (GuestShell: 6 random bytes). */
const ID_CHARS = 12;

/**
 * One command line for several commands, run side by side: each in the background with its
 * output to a file of its own, then, in order, its exit status (`wait`) in a begin marker, its
 * output, and an end marker. The markers' halves are joined by printf, so the echo of the line
 * cannot produce them; a command's output reaches the console whole, never interleaved with
 * another's. Side by side because one VM probes many targets, and a dropped probe spends its
 * whole timeout waiting: in a row, those waits would add up.
 */
export function batchLine(id: string, commands: readonly (readonly string[])[]): string {
  const parts = commands.map((argv, i) => framed(id, i, argv));
  return [...parts.map((p) => p.start), ...parts.map((p) => p.collect), `rm -f ${parts.map((p) => p.file).join(' ')}`].join('; ');
}

function framed(id: string, index: number, argv: readonly string[]): { start: string; collect: string; file: string } {
  const file = `/tmp/udn-${id}-${index}`;
  return {
    start: `${shellQuote(argv)} > ${file} 2>&1 & p${index}=$!`,
    collect: `wait $p${index}; printf '%s%s:%s\\n' __UDN ${id}-${index}B $?; cat ${file}; printf '%s%s\\n' __UDN ${id}-${index}E`,
    file,
  };
}

/** After an interrupted batch line: its commands still running in the background stop, and its files go. */
export function batchCleanup(id: string, count: number): string {
  const indexes = Array.from({ length: count }, (_, i) => i);
  return `kill ${indexes.map((i) => `$p${i}`).join(' ')} 2> /dev/null; rm -f ${indexes.map((i) => framed(id, i, []).file).join(' ')}`;
}

/** How many of the leading `commands` fit in one line of at most BATCH_LINE_BYTES (always at least one). */
export function batchFits(commands: readonly (readonly string[])[]): number {
  const id = '0'.repeat(ID_CHARS);
  let bytes = 'rm -f'.length;
  for (let i = 0; i < commands.length; i++) {
    const p = framed(id, i, commands[i]!);
    bytes += Buffer.byteLength(p.start) + Buffer.byteLength(p.collect) + p.file.length + '; ; '.length + 1;
    if (bytes > BATCH_LINE_BYTES) return Math.max(1, i);
  }
  return commands.length;
}

/** Any marker of the batch `id`: group 1 the command's index, group 2 its exit status (begin markers only). */
export function batchMarker(id: string): RegExp {
  return new RegExp(`__UDN${id}-(\\d+)(?:B:(\\d+)|E)\\r?\\n`);
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
  private open: { index: number; exitCode: number } | undefined;

  constructor(readonly count: number) {}

  get done(): boolean {
    return this.next >= this.count;
  }

  /** `before`: what the console printed since the previous marker; `marker`: a match of batchMarker. Returns the commands it settles. */
  marker(before: string, marker: RegExpExecArray): Framed[] {
    const index = Number(marker[1]);
    if (index < this.next || index >= this.count) return [];
    const settled: Framed[] = [];
    for (let i = this.next; i < index; i++) settled.push({ index: i, missing: this.open?.index === i ? 'its end marker never came' : 'its begin marker never came' });
    this.next = index;
    if (marker[2] !== undefined) {
      this.open = { index, exitCode: Number(marker[2]) };
      return settled;
    }
    settled.push(this.open?.index === index ? { index, output: before.replace(/\r\n/g, '\n'), exitCode: this.open.exitCode } : { index, missing: 'its begin marker never came' });
    this.open = undefined;
    this.next = index + 1;
    return settled;
  }
}
