import pc from 'picocolors';

export type Colors = ReturnType<typeof pc.createColors>;

/** How progress is shown: redrawn in place (`live`) or as plain lines, and whether in colour. */
export interface ProgressStyle {
  live: boolean;
  colors: Colors;
}

/**
 * Progress goes to stderr (stdout carries the result), so stderr decides: a terminal that can
 * move its cursor gets the live view, anything else (a pipe, a file, TERM=dumb, `--json`) the
 * plain lines, which scripts and tests read. NO_COLOR (no-color.org: set and not empty) takes
 * the colour away, not the live view.
 */
export function progressStyle(json: boolean, stream: { isTTY?: boolean } = process.stderr, env: NodeJS.ProcessEnv = process.env): ProgressStyle {
  const live = stream.isTTY === true && !json && env.TERM !== 'dumb';
  return { live, colors: pc.createColors(live && !env.NO_COLOR) };
}
