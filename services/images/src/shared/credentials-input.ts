import { invalid } from '@caas/contracts';
import type { RegistryCredentials } from '../registry-client/registry-auth';

/**
 * Another registry's credentials from a request: both or neither — a user name without
 * a password (or the reverse) is a mistake, not a wish for anonymous access.
 */
export function credentialsOf(body: { username?: string; password?: string }): RegistryCredentials | undefined {
  if (body.username === undefined && body.password === undefined) return undefined;
  if (!body.username) throw invalid('username', 'required', 'username is required with a password');
  if (body.password === undefined) throw invalid('password', 'required', 'password is required with a username');
  return { username: body.username, password: body.password };
}
