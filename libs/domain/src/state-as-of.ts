import { type EventStore, StreamNotFoundError } from '@caas/event-store';
import type { Decider, DomainEvent } from './decider';

/** An aggregate as it was at a past time: its state after every event recorded at or before it. */
export interface StateAsOf<State> {
  readonly state: State;
  /** The revision of the last event folded in. */
  readonly revision: bigint;
  /** When that event was recorded. */
  readonly changedAt: Date;
  /** The time asked for. */
  readonly asOf: Date;
  /** The tenant in the events' metadata (a stream belongs to one); null for platform-level streams. */
  readonly tenantId: string | null;
}

/**
 * Replays `stream` from its start through the decider's `evolve`, up to the first event
 * recorded after `at`. Revision order, not time order, decides what "before" means: the
 * state is always one the aggregate really had (a prefix of its history), never a mix.
 * Undefined when the stream had no event at or before `at` (or does not exist now).
 */
export async function replayStateAsOf<Event extends DomainEvent, State>(
  store: EventStore,
  decider: Pick<Decider<unknown, Event, State>, 'evolve' | 'initialState'>,
  stream: string,
  at: Date,
): Promise<StateAsOf<State> | undefined> {
  let state = decider.initialState();
  let last: { revision: bigint; created: Date } | undefined;
  let tenantId: string | null = null;
  try {
    for await (const event of store.readStream(stream)) {
      if (event.created.getTime() > at.getTime()) break;
      state = decider.evolve(state, { type: event.type, data: event.data } as Event);
      last = { revision: event.revision, created: event.created };
      tenantId ??= tenantOf(event.metadata);
    }
  } catch (error) {
    if (error instanceof StreamNotFoundError) return undefined;
    throw error;
  }
  if (!last) return undefined;
  return { state, revision: last.revision, changedAt: last.created, asOf: at, tenantId };
}

function tenantOf(metadata: unknown): string | null {
  const tenantId = (metadata as { tenantId?: unknown } | undefined)?.tenantId;
  return typeof tenantId === 'string' && tenantId !== '' ? tenantId : null;
}
