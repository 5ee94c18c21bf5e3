import { createHash, randomUUID } from 'node:crypto';
import { type EventMetadata, conflict } from '@caas/contracts';
import { type EventStore, WrongExpectedVersionError, streamName } from '@caas/event-store';
import { lastEventOf } from '../shared/streams';
import type { EmailClaimed } from './private.events';
import { userStream } from './user.events';

/** A claim whose account never appeared this long after is a sign-up that crashed half-way. */
const ABANDONED_AFTER_MS = 60_000;

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** One stream per address, named by its hash so the address is not in the stream name. */
export function emailClaimStream(email: string): string {
  return streamName('emailclaim', createHash('sha256').update(normalizeEmail(email)).digest('hex'));
}

export interface EmailClaimant {
  readonly userId: string;
  readonly revision: bigint;
  readonly claimedAt: Date;
}

export async function claimantOf(store: EventStore, email: string): Promise<EmailClaimant | undefined> {
  const last = await lastEventOf(store, emailClaimStream(email));
  if (!last) return undefined;
  return { userId: (last.data as EmailClaimed['data']).userId, revision: last.revision, claimedAt: last.created };
}

/**
 * Reserves an e-mail address for `userId`. The event store has no unique index across
 * streams, so uniqueness is a stream per address appended with 'no_stream': of two
 * concurrent sign-ups exactly one wins, the other answers `conflict`.
 *
 * The claim is written before the account, so a crash in between leaves a claim with
 * no account; after a minute such a claim may be taken over (again with an expected
 * revision, so only one taker wins).
 */
export interface EmailClaim {
  readonly email: string;
  readonly userId: string;
  readonly metadata: EventMetadata;
  readonly eventId?: string;
  readonly abandonedAfterMs?: number;
}

export async function claimEmail(store: EventStore, claim: EmailClaim): Promise<void> {
  const { email, userId, metadata, eventId = randomUUID(), abandonedAfterMs = ABANDONED_AFTER_MS } = claim;
  const stream = emailClaimStream(email);
  const event = { id: eventId, type: 'EmailClaimed', data: { userId }, metadata };
  try {
    await store.appendToStream(stream, [event], { expectedRevision: 'no_stream' });
    return;
  } catch (error) {
    if (!(error instanceof WrongExpectedVersionError)) throw error;
  }
  const current = await claimantOf(store, email);
  if (!current || !(await isAbandoned(store, current, abandonedAfterMs))) throw alreadyRegistered(email);
  try {
    await store.appendToStream(stream, [event], { expectedRevision: current.revision });
  } catch (error) {
    if (error instanceof WrongExpectedVersionError) throw alreadyRegistered(email);
    throw error;
  }
}

async function isAbandoned(store: EventStore, claimant: EmailClaimant, afterMs: number): Promise<boolean> {
  if (Date.now() - claimant.claimedAt.getTime() < afterMs) return false;
  return (await lastEventOf(store, userStream(claimant.userId))) === undefined;
}

const alreadyRegistered = (email: string) =>
  conflict(`e-mail '${normalizeEmail(email)}' is already registered`, { email: normalizeEmail(email) });
