import { CaasError } from '@caas/contracts';
import { RegistryError } from '../registry-client/registry-client';
import { UnsupportedManifestError } from '../registry-client/manifest';

/**
 * What a refusal of the source registry means to the caller, as a 4xx naming the field to
 * fix: wrong or missing credentials (`username`, `password`), no such image or no such
 * registry (`source`). Anything else is ours, and stays as it is.
 */
export function sourceError(error: unknown, source: string, withCredentials: boolean): unknown {
  if (error instanceof RegistryError && (error.status === 401 || error.status === 403)) {
    const message = withCredentials
      ? `The source registry refused these credentials for '${source}'`
      : `The source registry wants credentials for '${source}'`;
    const rule = withCredentials ? 'accepted' : 'required';
    return new CaasError('validation', message, {
      violations: [
        { field: 'username', rule, message },
        { field: 'password', rule, message },
      ],
    });
  }
  if (error instanceof RegistryError && error.status === 404) {
    return new CaasError('not_found', `source: no image '${source}' in that registry`, {
      details: { field: 'source', source },
    });
  }
  if (error instanceof UnsupportedManifestError) {
    return new CaasError('validation', `source: ${error.message}`, {
      violations: [{ field: 'source', rule: 'supportedManifest', message: error.message }],
    });
  }
  const unreachable = unreachableCause(error);
  if (unreachable) {
    return new CaasError('not_found', `source: the registry of '${source}' cannot be reached (${unreachable})`, {
      details: { field: 'source', source },
    });
  }
  return error;
}

/** fetch's own failures: a TypeError whose cause names the socket error, or our timeout. */
export function unreachableCause(error: unknown): string | undefined {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return 'timed out';
  if (!(error instanceof TypeError)) return undefined;
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (typeof cause?.code === 'string') return cause.code;
  return typeof cause?.message === 'string' ? cause.message : error.message;
}
