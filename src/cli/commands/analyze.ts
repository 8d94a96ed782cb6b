import type { Command } from 'commander';
import { analyzeFile, type Analysis } from '../../analysis/analyze.ts';
import { ExitCode, errorMessage, firstLine } from '../../errors.ts';
import type { ConnectionFigures } from '../../model/result.ts';
import { printJson } from '../io.ts';

interface FileVerdict extends ConnectionFigures {
  file: string;
  kind: Analysis['kind'] | null;
  error: string | null;
}

export function registerAnalyze(program: Command): void {
  program
    .command('analyze')
    .description('judge iperf3 (--json or text) and ping -D captures made elsewhere: did the connection survive, and how long was it down?')
    .argument('<file...>', 'captures: iperf3 client output (JSON or text), ping output (-D timestamps give the best resolution)')
    .option('--json', 'print one JSON object per file (an array)')
    .addHelpText('after', '\nExit codes: 0 every connection survived, 1 one broke, 2 a file is unreadable or not iperf3/ping output.')
    .action(async (files: string[], opts: { json?: boolean }) => {
      const verdicts = await Promise.all(files.map(verdictOf));
      if (opts.json) printJson(verdicts);
      else for (const v of verdicts) process.stdout.write(`${line(v)}\n`);
      const unreadable = verdicts.some((v) => v.kind === null);
      process.exitCode = unreadable ? ExitCode.usage : verdicts.every((v) => v.survived) ? ExitCode.passed : ExitCode.checkFailed;
    });
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
