import { randomUUID } from 'node:crypto';
import { conflict } from '@caas/contracts';
import { type CommandContext, deterministicUuid, eventMetadata } from '@caas/domain';
import { type EventStore, WrongExpectedVersionError } from '@caas/event-store';
import { setPassword } from './credential';
import { claimEmail } from './email-claim';
import { userDecider } from './user.decider';
import { userStream } from './user.events';

export interface Registration {
  readonly userId: string;
  /** Lowercased. */
  readonly email: string;
  readonly name: string;
  readonly passwordHash: string;
}

/** Event ids of the three appends; seeds pass deterministic ones so a re-run is a no-op. */
export interface RegistrationEventIds {
  readonly claim: string;
  readonly credential: string;
  readonly signUp: string;
}

/** Random; under a command id, derived from it, so a retried sign-up re-appends the same events (a no-op). */
const idsFor = (commandId: string | undefined): RegistrationEventIds =>
  commandId
    ? {
        claim: deterministicUuid(`email-claimed:${commandId}`),
        credential: deterministicUuid(`password-set:${commandId}`),
        signUp: deterministicUuid(`signed-up:${commandId}`),
      }
    : { claim: randomUUID(), credential: randomUUID(), signUp: randomUUID() };

/**
 * Signs a user up across three streams, in an order where every crash is harmless:
 * the e-mail claim first (uniqueness), then the private credential, then the public
 * account — an account therefore always has its address and its password. Answers the
 * account stream's revision, for read-your-writes.
 */
export async function registerUser(
  store: EventStore,
  registration: Registration,
  context: CommandContext,
  ids: RegistrationEventIds = idsFor(context.commandId),
): Promise<bigint> {
  const { userId, email, name, passwordHash } = registration;
  const metadata = eventMetadata(context, { kind: 'SignUp' });
  await claimEmail(store, { email, userId, metadata, eventId: ids.claim });
  await setPassword(store, userId, passwordHash, metadata, ids.credential);
  const events = userDecider.decide({ kind: 'SignUp', userId, email, name }, userDecider.initialState());
  try {
    const result = await store.appendToStream(
      userStream(userId),
      events.map((event) => ({ id: ids.signUp, type: event.type, data: event.data, metadata })),
      { expectedRevision: 'no_stream' },
    );
    return result.nextExpectedRevision;
  } catch (error) {
    if (error instanceof WrongExpectedVersionError) throw conflict(`user '${userId}' already exists`);
    throw error;
  }
}
