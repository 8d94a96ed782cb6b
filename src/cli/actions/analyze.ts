import { analyzeFile, type Analysis } from '../../analysis/analyze.ts';
import { ExitCode, errorMessage, firstLine } from '../../errors.ts';
import type { ConnectionFigures } from '../../model/result.ts';
import { printJson } from '../io.ts';

export interface AnalyzeOptions {
  json?: boolean;
}

interface FileVerdict extends ConnectionFigures {
  file: string;
  kind: Analysis['kind'] | null;
  error: string | null;
}

export async function analyze(files: string[], opts: AnalyzeOptions): Promise<void> {
  const verdicts = await Promise.all(files.map(verdictOf));
  if (opts.json) printJson(verdicts);
  else for (const v of verdicts) process.stdout.write(`${line(v)}\n`);
  const unreadable = verdicts.some((v) => v.kind === null);
  process.exitCode = unreadable ? ExitCode.usage : verdicts.every((v) => v.survived) ? ExitCode.passed : ExitCode.checkFailed;
}

async function verdictOf(file: string): Promise<FileVerdict> {
  const none = { kind: null, survived: null, downtimeMs: null, resolutionMs: null, retransmits: null, throughputBeforeGbps: null, throughputAfterGbps: null };
  try {
    // Streamed: an hour of 10 ms pings is 28 MiB of text, never held whole.
    const a = await analyzeFile(file);
    const n = (x: number) => (Number.isFinite(x) ? Math.round(x) : null);
    return { file, kind: a.kind, survived: a.survived, downtimeMs: n(a.downtimeMs), resolutionMs: n(a.resolutionMs), retransmits: a.retransmits, throughputBeforeGbps: a.throughputBeforeGbps, throughputAfterGbps: a.throughputAfterGbps, error: a.error };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { file, ...none, error: 'no such file' };
    if (code === 'EISDIR') return { file, ...none, error: 'a directory, not a file' };
    return { file, ...none, error: firstLine(errorMessage(err)).replace(`${file}: `, '') };
  }
}

function line(v: FileVerdict): string {
  if (v.kind === null) return `${v.file}: unreadable: ${v.error}`;
  const down = v.downtimeMs === null ? 'downtime unknown' : `longest gap ${v.downtimeMs} ms at ${v.resolutionMs ?? '?'} ms resolution`;
  const rate = v.throughputBeforeGbps === null ? '' : `; ${v.throughputBeforeGbps.toFixed(2)} → ${v.throughputAfterGbps?.toFixed(2) ?? '?'} Gbit/s`;
  const retr = v.retransmits === null ? '' : `; ${v.retransmits} retransmits`;
  return `${v.file}: ${v.kind} ${v.survived ? 'SURVIVED' : 'BROKE'}${v.error ? ` (${v.error})` : ''}; ${down}${retr}${rate}`;
}
