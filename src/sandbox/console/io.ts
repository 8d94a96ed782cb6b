/** Where a guest command writes, and how it learns it was interrupted. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  signal: AbortSignal;
}
