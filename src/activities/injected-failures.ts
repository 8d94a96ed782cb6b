import { InputError } from '../errors.ts';
import type { InjectedFailures } from './instrument.ts';

/**
 * Refuses injected failures for activities that do not exist: a typo would silently inject nothing.
 * The message names the option because that is the only way a person asks for them. Apart from
 * instrument.ts, so that the CLI checks `--fail-activity` as it parses it without loading the SDK.
 */
export function checkInjectedFailures(inject: InjectedFailures, activityNames: readonly string[]): InjectedFailures {
  const unknown = Object.keys(inject).filter((name) => !activityNames.includes(name));
  if (unknown.length > 0) throw new InputError(`--fail-activity names no activity: ${unknown.join(', ')} (activities: ${activityNames.join(', ')})`);
  return inject;
}
