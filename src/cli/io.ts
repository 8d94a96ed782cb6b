/** Progress and messages go to stderr, so stdout carries only what a script reads (the JSON result). */
export function info(line: string): void {
  process.stderr.write(`${line}\n`);
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
