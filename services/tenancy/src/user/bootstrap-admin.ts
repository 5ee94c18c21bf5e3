import { randomUUID } from 'node:crypto';
import { SYSTEM_ACTOR } from '@caas/contracts';
import { type CommandContext, handleCommand, loadState } from '@caas/domain';
import type { EventStore } from '@caas/event-store';
import { deterministicUuid } from '../shared/deterministic-id';
import { claimantOf, normalizeEmail } from './email-claim';
import type { PasswordHasher } from './password-hashing';
import { userDecider } from './user.decider';
import { userStream } from './user.events';
import { registerUser } from './user-registration';

export interface BootstrapAdmin {
  readonly email: string;
  readonly password: string;
}

/**
 * Makes sure the configured platform admin exists and holds `platform-admin`. Its user
 * id and event ids derive from the address, so every start — and several instances
 * starting at once — converge on the same account. The password is only set when the
 * account is first created: changing the variable later does not reset it.
 *
 * Returns the admin's user id, or undefined when the address already belongs to an
 * account this seed did not create: it is never promoted, since whoever signed up
 * with it chose its password.
 */
export async function seedBootstrapAdmin(
  store: EventStore,
  hasher: PasswordHasher,
  admin: BootstrapAdmin,
  warn: (message: string) => void = console.warn,
): Promise<string | undefined> {
  const email = normalizeEmail(admin.email);
  const userId = deterministicUuid(`bootstrap-admin:${email}`);
  const claimant = await claimantOf(store, email);
  if (claimant && claimant.userId !== userId) {
    warn(`BOOTSTRAP_ADMIN_EMAIL ${email} belongs to an existing account; not granting it platform-admin`);
    return undefined;
  }
  const context: CommandContext = {
    tenantId: null,
    actor: SYSTEM_ACTOR,
    correlationId: randomUUID(),
    causationId: 'seed-bootstrap-admin',
  };
  const { state } = await loadState(store, userDecider, userStream(userId));
  if (!state.exists) {
    const registration = { userId, email, name: 'Platform admin', passwordHash: await hasher.hash(admin.password) };
    await registerUser(store, registration, context, {
      claim: deterministicUuid(`${userId}:email-claimed`),
      credential: deterministicUuid(`${userId}:password-set`),
      signUp: deterministicUuid(`${userId}:signed-up`),
    });
  }
  const grant = { kind: 'GrantPlatformRole', userId, role: 'platform-admin' } as const;
  await handleCommand(store, userDecider, userStream(userId), grant, context);
  return userId;
}
