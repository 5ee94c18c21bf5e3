import { InvalidArgumentError } from './errors';
import type { EventData } from './types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Checked before either adapter touches its backend, so both reject the same input the same way. */
export function assertAppendable(stream: string, events: readonly EventData[]): void {
  if (stream.length === 0 || stream.startsWith('$')) {
    throw new InvalidArgumentError(`Stream name '${stream}' must be non-empty and must not start with '$'`);
  }
  if (events.length === 0) throw new InvalidArgumentError('An append needs at least one event');
  for (const [index, event] of events.entries()) {
    if (!UUID.test(event.id)) throw new InvalidArgumentError(`events[${index}].id must be a UUID`);
    if (!event.type || event.type.startsWith('$')) {
      throw new InvalidArgumentError(`events[${index}].type must be non-empty and must not start with '$'`);
    }
  }
}

export function toCount(maxCount: number | bigint | undefined): number {
  if (maxCount === undefined) return Number.POSITIVE_INFINITY;
  const count = Number(maxCount);
  if (!Number.isInteger(count) || count < 0) throw new InvalidArgumentError('maxCount must be a non-negative integer');
  return count;
}
