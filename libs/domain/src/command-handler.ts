import { randomUUID } from 'node:crypto';
import type { EventMetadata } from '@caas/contracts';
import { type EventStore, StreamNotFoundError, WrongExpectedVersionError } from '@caas/event-store';
import { fold, type Decider, type DomainEvent } from './decider';

/** Who and why, minus what the handler fills in itself. */
export type CommandContext = Omit<EventMetadata, 'schemaVersion'> & { readonly schemaVersion?: number };

export interface HandledCommand<Event extends DomainEvent, State> {
  readonly events: readonly Event[];
  readonly state: State;
  readonly nextExpectedRevision: bigint | undefined;
}

/**
 * Loads the stream, decides, appends with the revision it read, and on a revision
 * conflict (someone appended in between) loads again and re-decides — so the
 * decision is always made on the state it is written after.
 */
export async function handleCommand<Command, Event extends DomainEvent, State>(
  store: EventStore,
  decider: Decider<Command, Event, State>,
  stream: string,
  command: Command,
  context: CommandContext,
  maxAttempts = 5,
): Promise<HandledCommand<Event, State>> {
  for (let attempt = 1; ; attempt++) {
    const { state, revision } = await loadState(store, decider, stream);
    const expectedRevision = revision ?? 'no_stream';
    const events = decider.decide(command, state);
    if (events.length === 0) {
      return { events, state, nextExpectedRevision: revision };
    }
    try {
      const metadata: EventMetadata = { schemaVersion: 1, ...context };
      const result = await store.appendToStream(
        stream,
        events.map((event) => ({ id: randomUUID(), type: event.type, data: event.data, metadata })),
        { expectedRevision },
      );
      return { events, state: events.reduce(decider.evolve, state), nextExpectedRevision: result.nextExpectedRevision };
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError) || attempt >= maxAttempts) throw error;
    }
  }
}

export async function loadState<Event extends DomainEvent, State>(
  store: EventStore,
  decider: Pick<Decider<unknown, Event, State>, 'evolve' | 'initialState'>,
  stream: string,
): Promise<{ state: State; revision: bigint | undefined }> {
  const events: Event[] = [];
  let revision: bigint | undefined;
  try {
    for await (const recorded of store.readStream(stream)) {
      events.push({ type: recorded.type, data: recorded.data } as Event);
      revision = recorded.revision;
    }
  } catch (error) {
    if (!(error instanceof StreamNotFoundError)) throw error;
  }
  return { state: fold(decider, events), revision };
}
