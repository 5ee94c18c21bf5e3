import { randomUUID } from 'node:crypto';
import type { EventMetadata } from '@caas/contracts';
import { type EventStore, streamName } from '@caas/event-store';
import { lastEventOf } from '../shared/streams';
import type { PasswordSet } from './private.events';

/** Private: never projected, never relayed. */
export const credentialStream = (userId: string) => streamName('credential', userId);

export async function setPassword(
  store: EventStore,
  userId: string,
  passwordHash: string,
  metadata: EventMetadata,
  eventId: string = randomUUID(),
): Promise<void> {
  const event = { id: eventId, type: 'PasswordSet', data: { userId, passwordHash }, metadata };
  await store.appendToStream(credentialStream(userId), [event], { expectedRevision: 'any' });
}

export async function passwordHashOf(store: EventStore, userId: string): Promise<string | undefined> {
  const last = await lastEventOf(store, credentialStream(userId));
  return last?.type === 'PasswordSet' ? (last.data as PasswordSet['data']).passwordHash : undefined;
}
