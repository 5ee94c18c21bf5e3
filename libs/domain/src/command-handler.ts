import { randomUUID } from 'node:crypto';
import type { EventMetadata } from '@caas/contracts';
import { type EventStore, StreamNotFoundError, WrongExpectedVersionError, delay } from '@caas/event-store';
import { fold, type Decider, type DomainEvent } from './decider';
import { deterministicUuid } from './deterministic-id';

/** Who and why, minus what the handler fills in itself. */
export type CommandContext = Omit<EventMetadata, 'schemaVersion'> & {
  readonly schemaVersion?: number;
  /**
   * The same for every attempt at one request (the gateway derives it from the
   * Idempotency-Key). When set, the command's event ids derive from it, and a command
   * whose events are already in the stream is not decided again. Not written to the
   * events' metadata.
   */
  readonly commandId?: string;
};

/** The metadata of the events a command records: its context, less the command id, plus the command's kind. */
export function eventMetadata(context: CommandContext, command?: unknown): EventMetadata {
  const { commandId: _commandId, ...who } = context;
  const kind = commandKind(command);
  return { schemaVersion: 1, ...who, ...(kind ? { command: kind } : {}) };
}

/** A command's `kind` (every decider's commands carry one), when it has one. */
function commandKind(command: unknown): string | undefined {
  const kind = (command as { kind?: unknown } | null | undefined)?.kind;
  return typeof kind === 'string' ? kind : undefined;
}

export interface HandledCommand<Event extends DomainEvent, State> {
  /** What the command recorded: just now, or — when `replayed` — by an earlier attempt. */
  readonly events: readonly Event[];
  readonly state: State;
  readonly nextExpectedRevision: bigint | undefined;
  /**
   * The events were found already recorded by an earlier attempt with the same commandId,
   * and nothing was appended. (Attempts racing each other append the same event ids at
   * the same revision, which the store takes as one append: each may answer false.)
   */
  readonly replayed: boolean;
}

/** Revision conflicts a command retries before giving up (busy streams: many writers at once). */
export const MAX_COMMAND_ATTEMPTS = 12;

/**
 * Loads the stream, decides, appends with the revision it read, and on a revision
 * conflict (someone appended in between) loads again and re-decides — so the
 * decision is always made on the state it is written after. Writers that keep
 * colliding wait a random, growing pause between attempts, so they stop arriving in
 * lockstep (a service restarting into a burst of retries was seen to lose five in a row).
 *
 * With a `commandId`, a retry of a command whose answer was lost (its service died after
 * the append) finds the events it recorded and answers them instead of deciding again,
 * which would refuse (the name is taken now) or do it twice.
 */
export async function handleCommand<Command, Event extends DomainEvent, State>(
  store: EventStore,
  decider: Decider<Command, Event, State>,
  stream: string,
  command: Command,
  context: CommandContext,
  maxAttempts = MAX_COMMAND_ATTEMPTS,
): Promise<HandledCommand<Event, State>> {
  const { commandId } = context;
  const eventId = commandId ? (index: number) => commandEventId(commandId, stream, index) : () => randomUUID();
  for (let attempt = 1; ; attempt++) {
    const { state, revision, recorded } = await load(store, decider, stream, commandId);
    if (recorded.length > 0) return { events: recorded, state, nextExpectedRevision: revision, replayed: true };
    const expectedRevision = revision ?? 'no_stream';
    const events = decider.decide(command, state);
    if (events.length === 0) {
      return { events, state, nextExpectedRevision: revision, replayed: false };
    }
    try {
      const metadata = eventMetadata(context, command);
      const result = await store.appendToStream(
        stream,
        events.map((event, index) => ({ id: eventId(index), type: event.type, data: event.data, metadata })),
        { expectedRevision },
      );
      return {
        events,
        state: events.reduce(decider.evolve, state),
        nextExpectedRevision: result.nextExpectedRevision,
        replayed: false,
      };
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError) || attempt >= maxAttempts) throw error;
      await delay(conflictPause(attempt));
    }
  }
}

/** Full jitter over a window that doubles per conflict: 0–5 ms after the first, at most 0–640 ms. */
function conflictPause(attempt: number): number {
  return Math.floor(Math.random() * 5 * 2 ** Math.min(attempt - 1, 7));
}

/** The id of a command's `index`th event in `stream`: the same on every attempt. */
export function commandEventId(commandId: string, stream: string, index: number): string {
  return deterministicUuid(`command:${commandId}:${stream}:${index}`);
}

export async function loadState<Event extends DomainEvent, State>(
  store: EventStore,
  decider: Pick<Decider<unknown, Event, State>, 'evolve' | 'initialState'>,
  stream: string,
): Promise<{ state: State; revision: bigint | undefined }> {
  const { state, revision } = await load(store, decider, stream, undefined);
  return { state, revision };
}

/** The state, the revision and, with a commandId, the events that command recorded (in order). */
async function load<Event extends DomainEvent, State>(
  store: EventStore,
  decider: Pick<Decider<unknown, Event, State>, 'evolve' | 'initialState'>,
  stream: string,
  commandId: string | undefined,
): Promise<{ state: State; revision: bigint | undefined; recorded: Event[] }> {
  const events: Event[] = [];
  const recorded: Event[] = [];
  // One append's events are contiguous: after its first, the next one is looked for.
  let next = commandId ? commandEventId(commandId, stream, 0) : undefined;
  let revision: bigint | undefined;
  try {
    for await (const event of store.readStream(stream)) {
      const domainEvent = { type: event.type, data: event.data } as Event;
      events.push(domainEvent);
      revision = event.revision;
      if (event.id === next) {
        recorded.push(domainEvent);
        next = commandEventId(commandId!, stream, recorded.length);
      }
    }
  } catch (error) {
    if (!(error instanceof StreamNotFoundError)) throw error;
  }
  return { state: fold(decider, events), revision, recorded };
}
