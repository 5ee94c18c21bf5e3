import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { EventMetadata } from '@caas/contracts';
import { type AppendResult, type EventStore, streamName } from '@caas/event-store';

const SECRET_PREFIX = 'caas_';
/** `caas_` and 7 characters: enough to tell keys apart in a list, far too little to guess the rest. */
const SHOWN_PREFIX_LENGTH = 12;

/**
 * Private, version 1, in `apikeysecret-<keyId>`: never relayed. It is projected into an
 * internal lookup table (hash → key) that no query returns. A SHA-256 of 256 random
 * bits needs no salt or slow hash: there is nothing to guess.
 */
export interface ApiKeySecretSet {
  readonly type: 'ApiKeySecretSet';
  readonly data: { readonly keyId: string; readonly secretHash: string };
}

export const apiKeySecretStream = (keyId: string) => streamName('apikeysecret', keyId);

export interface NewApiKeySecret {
  readonly secret: string;
  readonly prefix: string;
  readonly secretHash: string;
}

export function newApiKeySecret(): NewApiKeySecret {
  const secret = SECRET_PREFIX + randomBytes(32).toString('base64url');
  return { secret, prefix: secret.slice(0, SHOWN_PREFIX_LENGTH), secretHash: hashApiKeySecret(secret) };
}

export function hashApiKeySecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export function looksLikeApiKeySecret(secret: string): boolean {
  return secret.startsWith(SECRET_PREFIX) && secret.length > SHOWN_PREFIX_LENGTH;
}

export function storeApiKeySecret(
  store: EventStore,
  keyId: string,
  secretHash: string,
  metadata: EventMetadata,
): Promise<AppendResult> {
  const event = { id: randomUUID(), type: 'ApiKeySecretSet', data: { keyId, secretHash }, metadata };
  return store.appendToStream(apiKeySecretStream(keyId), [event], { expectedRevision: 'no_stream' });
}
