import { type AuthenticatedUser, CaasError } from '@caas/contracts';
import { loadState } from '@caas/domain';
import type { EventStore } from '@caas/event-store';
import { passwordHashOf } from './credential';
import { claimantOf } from './email-claim';
import type { PasswordHasher } from './password-hashing';
import { userDecider } from './user.decider';
import { userStream } from './user.events';

/**
 * Checks an e-mail and password against the event store itself (not a read model), so
 * a password just set is usable at once. Unknown address and wrong password get the
 * same answer, after the same amount of hashing work.
 */
export async function authenticateByPassword(
  store: EventStore,
  hasher: PasswordHasher,
  email: string,
  password: string,
): Promise<AuthenticatedUser> {
  const claimant = await claimantOf(store, email);
  const stored = claimant && (await passwordHashOf(store, claimant.userId));
  const matches = stored ? await hasher.verify(password, stored) : await hasher.verifyNothing(password);
  if (!matches || !claimant) throw wrongCredentials();
  const { state } = await loadState(store, userDecider, userStream(claimant.userId));
  // A claim and a password without an account: a sign-up that crashed half-way.
  if (!state.exists) throw wrongCredentials();
  return { userId: state.userId, email: state.email, platformRoles: state.platformRoles };
}

const wrongCredentials = () => new CaasError('unauthenticated', 'Wrong e-mail or password');
