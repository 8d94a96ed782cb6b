/** What one doctor check found. */
export interface Check {
  name: string;
  /** ok and warn never stop a run; missing (not installed) and fail (present but unusable) do. */
  state: 'ok' | 'warn' | 'missing' | 'fail';
  /**
   * The finding first, in a few words, then after ": " why it matters and what to do; the
   * one-line summary keeps only the finding.
   */
  detail: string;
  /** Which run a missing or failed check stops. */
  neededFor: 'sandbox' | 'kind' | 'both';
  /** For a tool binary not at hand: how `run` will obtain it, and the executable's name. */
  obtain?: { how: 'build' | 'download'; binary: string };
}

export type Target = 'sandbox' | 'kind';
