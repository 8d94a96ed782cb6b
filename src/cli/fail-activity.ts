import type { Command } from 'commander';
import { checkInjectedFailures } from '../activities/injected-failures.ts';
import type { InjectedFailures } from '../activities/instrument.ts';
import { InputError } from '../errors.ts';
import { ACTIVITY_NAMES } from '../model/activities.ts';

/** A handful of failures shows the retries; more would only outlast the retry policy. */
const MAX_FAILURES = 20;

/**
 * `--fail-activity migrateVmi=2`, repeatable: the worker of this process fails that activity's
 * first 2 attempts with a retryable error, to watch the retries (tests, chaos runs, demos of
 * durability). Checked as it is parsed, so a typo is refused before anything starts.
 */
export function addFailActivityOption(cmd: Command): Command {
  return cmd.option(
    '--fail-activity <activity=n>',
    `fail the first n (1-${MAX_FAILURES}) attempts of an activity with a retryable error, to watch the retries; repeatable (activities: ${ACTIVITY_NAMES.join(', ')})`,
    (text: string, previous: InjectedFailures | undefined) => ({ ...previous, ...parseFailActivity(text) }),
  );
}

function parseFailActivity(text: string): InjectedFailures {
  const match = /^([A-Za-z]+)=(\d+)$/.exec(text);
  const n = match ? Number(match[2]) : NaN;
  if (!match || !(n >= 1 && n <= MAX_FAILURES)) throw new InputError(`--fail-activity must be ACTIVITY=N with N a whole number from 1 to ${MAX_FAILURES} (e.g. migrateVmi=2), got "${text}"`);
  return checkInjectedFailures({ [match[1]!]: n }, ACTIVITY_NAMES);
}
