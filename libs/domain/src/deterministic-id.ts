import { createHash } from 'node:crypto';

/** The RFC 4122 URL namespace; any fixed namespace works, this one is well known. */
const NAMESPACE = Buffer.from('6ba7b8119dad11d180b400c04fd430c8', 'hex');

/**
 * A name-based (version 5) UUID: the same name always gives the same id. Seeds use it
 * for event ids, so seeding twice — or two instances seeding at once — re-appends the
 * same events, which the event store treats as a no-op; handleCommand uses it for the
 * events of a command with a `commandId`, so a retried command finds its own events.
 */
export function deterministicUuid(name: string): string {
  const hash = createHash('sha1').update(NAMESPACE).update(name, 'utf8').digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
