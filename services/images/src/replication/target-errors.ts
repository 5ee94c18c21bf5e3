import { CaasError, invalid } from '@caas/contracts';
import { unreachableCause } from '../import/source-errors';
import { RegistryError } from '../registry-client/registry-client';

/**
 * Why a replication's target refused the first contact, as a 4xx naming the field to fix:
 * its credentials (`username`, `password`), or its URL (`targetUrl`: nobody answers
 * there, or not the Registry API). Anything else is ours, and stays as it is.
 */
export function targetError(error: unknown, targetUrl: string, withCredentials: boolean): unknown {
  if (error instanceof RegistryError && (error.status === 401 || error.status === 403)) {
    const message = withCredentials
      ? `The target registry ${targetUrl} refused these credentials`
      : `The target registry ${targetUrl} wants credentials`;
    const rule = withCredentials ? 'accepted' : 'required';
    return new CaasError('validation', message, {
      violations: [
        { field: 'username', rule, message },
        { field: 'password', rule, message },
      ],
    });
  }
  if (error instanceof RegistryError) {
    return invalid('targetUrl', 'registry', `${targetUrl} does not answer as a registry (${error.message})`);
  }
  const unreachable = unreachableCause(error);
  if (unreachable) return invalid('targetUrl', 'reachable', `${targetUrl} cannot be reached (${unreachable})`);
  return error;
}
