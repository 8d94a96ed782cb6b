import { InputError, errorMessage } from '../errors.ts';
import { loadFaults } from '../sandbox/index.ts';

/**
 * Reads a sandbox faults file as the sandbox will, so a missing or malformed one is the user's
 * one-line input error before anything starts, rather than a run that fails at ensure-cluster.
 */
export async function checkFaultsFile(file: string): Promise<void> {
  await loadFaults(file).catch((err: unknown) => {
    throw new InputError(errorMessage(err));
  });
}
