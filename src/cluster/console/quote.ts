/**
 * POSIX shell quoting, as Python's shlex.quote: plain words stay as they are (so evidence reads
 * like what a person types), anything else goes in single quotes.
 */
export function shellQuote(argv: readonly string[]): string {
  return argv.map((a) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", `'\\''`)}'`)).join(' ');
}
