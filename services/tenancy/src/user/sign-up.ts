import { conflict } from '@caas/contracts';
import type { UserEvent, UserState } from './user.events';

export interface SignUp {
  readonly kind: 'SignUp';
  readonly userId: string;
  /** Already lowercased: one address, one spelling. */
  readonly email: string;
  readonly name: string;
}

/**
 * Records the account. E-mail uniqueness across accounts is not this stream's to
 * decide: the sign-up first claims the address in its own stream (email-claim.ts).
 */
export function signUp(command: SignUp, state: UserState): UserEvent[] {
  if (state.exists) throw conflict(`user '${command.userId}' already exists`);
  const { userId, email, name } = command;
  return [{ type: 'UserSignedUp', data: { userId, email, name } }];
}
