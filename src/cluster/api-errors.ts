import { ApiException } from '@kubernetes/client-node';
import { errorMessage, firstLine } from '../errors.ts';

/** The API server's own one-line reason (its Status message), not the client's dump of the exchange. */
export function describeApiError(err: unknown): string {
  if (err instanceof ApiException) {
    const body: unknown = typeof err.body === 'string' ? safeParse(err.body) : err.body;
    const message = (body as { message?: unknown } | undefined)?.message;
    return typeof message === 'string' ? `HTTP ${err.code}: ${message}` : `HTTP ${err.code}`;
  }
  return firstLine(errorMessage(err));
}

export function apiStatusCode(err: unknown): number | undefined {
  return err instanceof ApiException ? err.code : undefined;
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
