import type { DomainEvent } from './decider';
import type { RecordedEvent } from '@caas/event-store';

/** A stored event typed as one of an aggregate's events, so a switch on `type` narrows `data`. */
export type RecordedOf<E extends DomainEvent> = E extends DomainEvent
  ? Omit<RecordedEvent, 'type' | 'data'> & E
  : never;

/** Projections call this after picking the stream's category; unknown types fall through their switch. */
export function recordedAs<E extends DomainEvent>(event: RecordedEvent): RecordedOf<E> {
  return event as unknown as RecordedOf<E>;
}
