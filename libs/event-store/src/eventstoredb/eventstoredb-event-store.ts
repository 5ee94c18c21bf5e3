import {
  ANY,
  CancelledError,
  EventStoreDBClient,
  FORWARDS,
  InvalidArgumentError as ClientInvalidArgumentError,
  NO_STREAM,
  NotLeaderError,
  START,
  STREAM_EXISTS,
  StreamDeletedError as ClientStreamDeletedError,
  StreamNotFoundError as ClientStreamNotFoundError,
  UnavailableError,
  WrongExpectedVersionError as ClientWrongExpectedVersionError,
  eventTypeFilter,
  excludeSystemEvents,
  jsonEvent,
  streamNameFilter,
} from '@eventstore/db-client';
import type {
  AllStreamResolvedEvent,
  AppendExpectedRevision,
  AppendResult as ClientAppendResult,
  CurrentRevision,
  DeleteResult as ClientDeleteResult,
  EventData as ClientEventData,
  ExpectedRevision as ClientExpectedRevision,
  Filter,
  JSONType,
  Position as ClientPosition,
  ResolvedEvent,
  StreamingRead,
} from '@eventstore/db-client';
import type { EventStore } from '../event-store.port';
import {
  EventStoreError,
  InvalidArgumentError,
  StreamDeletedError,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from '../errors';
import { comparePositions } from '../position';
import { ResubscribingSubscription } from '../resubscribing-subscription';
import { categoryOf } from '../stream-name';
import type {
  ActualRevision,
  AppendOptions,
  AppendResult,
  DeleteOptions,
  DeleteResult,
  EventData,
  EventFilter,
  ExpectedRevision,
  Position,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeToAllOptions,
  SubscribeToStreamOptions,
  Subscription,
  SubscriptionMessage,
} from '../types';
import { assertAppendable } from '../validation';
import { catchUpFeed, type ClientCatchUpSubscription } from './catch-up-feed';

/** What reads and subscriptions yield: one event from a stream or from $all. */
export type ClientResolvedEvent = ResolvedEvent | AllStreamResolvedEvent;

/**
 * readAll pages through $all because filtering is client-side in 6.x; big enough to keep
 * round trips rare, small enough that an early stop wastes little.
 */
const READ_ALL_PAGE_SIZE = 500;

/**
 * An expected revision no real stream reaches, used to make the server report a stream's
 * current revision (see `deleteExistingStream`).
 */
const UNREACHABLE_REVISION = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * A catch-up subscription the server ended without an error. Nobody asked it to stop, so
 * to the caller it is a lost connection: it is transient and the subscription reopens.
 */
export class SubscriptionDroppedError extends EventStoreError {
  constructor() {
    super('EventStoreDB ended the subscription without an error');
  }
}

/** The production adapter: a thin mapping onto @eventstore/db-client 6.x. */
export class EventStoreDbEventStore implements EventStore {
  /** Aborted by `close()`, so open subscriptions end instead of waiting on a disposed client forever. */
  private readonly closing = new AbortController();

  constructor(private readonly client: EventStoreDBClient) {}

  static fromConnectionString(connectionString: string): EventStoreDbEventStore {
    return new EventStoreDbEventStore(EventStoreDBClient.connectionString(connectionString));
  }

  async appendToStream(
    stream: string,
    events: readonly EventData[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    assertAppendable(stream, events);
    const expectedRevision = options.expectedRevision ?? 'any';
    try {
      const result = await this.client.appendToStream(stream, events.map(toClientEvent), {
        expectedRevision: toClientExpectedRevision(expectedRevision),
      });
      return toAppendResult(result, stream, expectedRevision);
    } catch (error) {
      throw mapError(error, { streamName: stream, expectedRevision });
    }
  }

  async *readStream(stream: string, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    const maxCount = toLimit(options.maxCount);
    if (maxCount === 0n) return;
    try {
      const read = this.client.readStream(stream, {
        fromRevision: options.fromRevision ?? START,
        direction: options.direction ?? FORWARDS,
        maxCount,
      });
      for await (const resolved of cancellingOnExit(read)) {
        const event = toRecordedEvent(resolved);
        if (event) yield event;
      }
    } catch (error) {
      throw mapError(error, { streamName: stream });
    }
  }

  /**
   * Pages through $all, continuing each page from the last event the previous one
   * returned. Forward reads include the event they start on (backward reads may not), so
   * an event at exactly that position is skipped as already seen.
   */
  async *readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    const limit = toLimit(options.maxCount);
    const direction = options.direction ?? FORWARDS;
    let from: 'start' | 'end' | Position = options.fromPosition ?? START;
    let alreadySeen: Position | undefined;
    let yielded = 0n;
    try {
      while (limit === undefined || yielded < limit) {
        const read = this.client.readAll({ fromPosition: from, direction, maxCount: READ_ALL_PAGE_SIZE });
        let received = 0;
        let last: Position | undefined;
        for await (const resolved of cancellingOnExit(read)) {
          received += 1;
          if (!resolved.event) continue;
          last = resolved.event.position;
          if (alreadySeen && comparePositions(last, alreadySeen) === 0) continue;
          const event = toRecordedEvent(resolved);
          if (!event || !matchesFilter(event, options.filter)) continue;
          yield event;
          yielded += 1n;
          if (yielded === limit) return;
        }
        if (received < READ_ALL_PAGE_SIZE || !last) return;
        from = alreadySeen = last;
      }
    } catch (error) {
      throw mapError(error, {});
    }
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): Subscription {
    const filter = options.filter;
    return new ResubscribingSubscription<'start' | 'end' | Position>({
      from: options.fromPosition ?? START,
      open: (from, signal) =>
        this.messagesOf(
          () => this.client.subscribeToAll({ fromPosition: from, filter: toServerFilter(filter) }),
          (event) => matchesFilter(event, filter),
          {},
          signal,
        ),
      cursorOf: (event) => event.position,
      isTransient,
    });
  }

  subscribeToStream(stream: string, options: SubscribeToStreamOptions = {}): Subscription {
    return new ResubscribingSubscription<'start' | 'end' | bigint>({
      from: options.fromRevision ?? START,
      open: (from, signal) =>
        this.messagesOf(
          () => this.client.subscribeToStream(stream, { fromRevision: from }),
          () => true,
          { streamName: stream },
          signal,
        ),
      cursorOf: (event) => event.revision,
      isTransient,
    });
  }

  async deleteStream(stream: string, options: DeleteOptions = {}): Promise<DeleteResult> {
    return this.removeStream(stream, options.expectedRevision ?? 'any', (expectedRevision) =>
      this.client.deleteStream(stream, { expectedRevision }),
    );
  }

  async tombstoneStream(stream: string, options: DeleteOptions = {}): Promise<DeleteResult> {
    return this.removeStream(stream, options.expectedRevision ?? 'any', (expectedRevision) =>
      this.client.tombstoneStream(stream, { expectedRevision }),
    );
  }

  async close(): Promise<void> {
    this.closing.abort();
    await this.client.dispose();
  }

  /**
   * One run of a catch-up subscription for ResubscribingSubscription: opens the client
   * subscription lazily (when iterated), maps and filters its events, and turns a
   * server-side end into `SubscriptionDroppedError` so the wrapper reopens it.
   */
  private async *messagesOf<E extends ClientResolvedEvent>(
    subscribe: () => ClientCatchUpSubscription<E>,
    accept: (event: RecordedEvent) => boolean,
    errorContext: ErrorContext,
    signal: AbortSignal,
  ): AsyncGenerator<SubscriptionMessage> {
    const stop = abortedByEither(signal, this.closing.signal);
    try {
      for await (const item of catchUpFeed(subscribe(), stop.signal)) {
        if (item.kind === 'caughtUp') {
          yield item;
          continue;
        }
        const event = toRecordedEvent(item.resolved);
        if (event && accept(event)) yield { kind: 'event', event };
      }
    } catch (error) {
      throw mapError(error, errorContext);
    } finally {
      stop.release();
    }
    if (!stop.signal.aborted) throw new SubscriptionDroppedError();
  }

  private async removeStream(
    stream: string,
    expectedRevision: ExpectedRevision,
    remove: (expected: ClientExpectedRevision) => Promise<ClientDeleteResult>,
  ): Promise<DeleteResult> {
    try {
      const result =
        expectedRevision === 'stream_exists'
          ? await deleteExistingStream(remove)
          : await remove(toClientDeleteRevision(expectedRevision));
      return { position: result.position && toPosition(result.position) };
    } catch (error) {
      throw mapError(error, { streamName: stream, expectedRevision });
    }
  }
}

// ---------------------------------------------------------------------------------------
// Pure mappings between the port and the client, exported for unit tests.

export function toClientExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  switch (expected) {
    case 'any':
      return ANY;
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    default:
      return assertRevision(expected);
  }
}

/** deleteStream/tombstoneStream take the narrower ExpectedRevision, without STREAM_EXISTS. */
export function toClientDeleteRevision(expected: Exclude<ExpectedRevision, 'stream_exists'>): ClientExpectedRevision {
  switch (expected) {
    case 'any':
      return ANY;
    case 'no_stream':
      return NO_STREAM;
    default:
      return assertRevision(expected);
  }
}

/**
 * The client reports "no stream" as NO_STREAM, except on the error path of unary calls
 * (delete, tombstone) where it parses the server's `actual-version` header as-is and the
 * server sends -1 for a missing stream.
 */
export function toActualRevision(actual: CurrentRevision): ActualRevision {
  return actual === NO_STREAM || actual < 0n ? 'no_stream' : actual;
}

export interface ErrorContext {
  readonly streamName?: string;
  readonly expectedRevision?: ExpectedRevision;
}

/**
 * Turns the client's errors into the port's. The context wins over what the error
 * carries: the stream name is the one the caller used, and the client's unary error path
 * encodes the expected revision as the server's raw number (-1, -2, -4).
 * Anything else is returned unchanged so `isTransient` can still recognise it.
 */
export function mapError(error: unknown, context: ErrorContext): unknown {
  if (error instanceof ClientWrongExpectedVersionError) {
    return new WrongExpectedVersionError(
      context.streamName ?? error.streamName,
      context.expectedRevision ?? fromClientExpectedRevision(error.expectedVersion),
      toActualRevision(error.actualVersion),
    );
  }
  if (error instanceof ClientStreamDeletedError) return new StreamDeletedError(context.streamName ?? error.streamName);
  if (error instanceof ClientStreamNotFoundError)
    return new StreamNotFoundError(context.streamName ?? error.streamName);
  if (error instanceof ClientInvalidArgumentError) return new InvalidArgumentError(error.message);
  return error;
}

/**
 * Exactly the errors after which the client drops its channel and reconnects on the next
 * call (its own `shouldReconnect`), so retrying them reaches a fresh connection or the
 * new leader — plus a subscription the server ended quietly.
 */
export function isTransient(error: unknown): boolean {
  return (
    error instanceof UnavailableError ||
    error instanceof CancelledError ||
    error instanceof NotLeaderError ||
    error instanceof SubscriptionDroppedError
  );
}

/**
 * The port's view of a client event, or undefined for what the port never returns:
 * unresolved links (no `event`) and system events.
 */
export function toRecordedEvent(resolved: ClientResolvedEvent): RecordedEvent | undefined {
  const event = resolved.event;
  if (!event || isSystemEvent(event)) return undefined;
  if (!event.position) {
    throw new EventStoreError(
      `EventStoreDB returned event ${event.id} without a position; server 22.6 or later is required`,
    );
  }
  return {
    streamId: event.streamId,
    revision: event.revision,
    id: event.id,
    type: event.type,
    data: event.data,
    metadata: event.metadata,
    position: toPosition(event.position),
    created: event.created,
  };
}

export function isSystemEvent(event: { readonly streamId: string; readonly type: string }): boolean {
  return event.type.startsWith('$') || event.streamId.startsWith('$');
}

/** Exact matching, as the port promises; a given but empty list matches nothing (as in PostgreSQL). */
export function matchesFilter(event: RecordedEvent, filter: EventFilter | undefined): boolean {
  if (filter?.categories && !filter.categories.includes(categoryOf(event.streamId))) return false;
  if (filter?.eventTypes && !filter.eventTypes.includes(event.type)) return false;
  return true;
}

/**
 * The server filters by prefix or regex on one field only, so it narrows the feed and
 * `matchesFilter` decides. Categories narrow best (one prefix per stream family), then
 * event types; with neither, at least keep system events off the wire.
 */
export function toServerFilter(filter: EventFilter | undefined): Filter {
  if (filter?.categories?.length) {
    return streamNameFilter({ prefixes: filter.categories.map((category) => `${category}-`) });
  }
  if (filter?.eventTypes?.length) return eventTypeFilter({ prefixes: [...filter.eventTypes] });
  return excludeSystemEvents();
}

// ---------------------------------------------------------------------------------------

function toClientEvent(event: EventData): ClientEventData {
  if (event.data === undefined) throw new InvalidArgumentError(`Event ${event.id} has no data`);
  return jsonEvent({
    id: event.id,
    type: event.type,
    // The client types JSON data as object | array | string, but it serialises with
    // JSON.stringify and parses back with JSON.parse, so numbers, booleans and null
    // (valid JsonValues the port accepts) round-trip as well.
    data: event.data as JSONType,
    metadata: event.metadata,
  });
}

function toAppendResult(result: ClientAppendResult, stream: string, expectedRevision: ExpectedRevision): AppendResult {
  if (!result.success) {
    // Only when the client was built with throwOnAppendFailure=false. Its batch-append
    // path then reports the current revision wrongly (BigInt(hasCurrentStreamRevision()),
    // i.e. 1n), so actualRevision is trustworthy only when it says no_stream.
    throw new WrongExpectedVersionError(stream, expectedRevision, toActualRevision(result.nextExpectedRevision));
  }
  if (!result.position) {
    throw new EventStoreError(`EventStoreDB did not return a position for the append to '${stream}'`);
  }
  return { nextExpectedRevision: result.nextExpectedRevision, position: toPosition(result.position) };
}

function toPosition(position: ClientPosition): Position {
  return { commit: position.commit, prepare: position.prepare };
}

/** Only used when the context lacks the caller's value; see `mapError`. */
function fromClientExpectedRevision(expected: AppendExpectedRevision): ExpectedRevision {
  if (typeof expected !== 'bigint' || expected >= 0n) return expected;
  if (expected === -1n) return 'no_stream';
  if (expected === -4n) return 'stream_exists';
  return 'any';
}

function assertRevision(revision: bigint): bigint {
  if (revision < 0n) throw new InvalidArgumentError(`A revision must not be negative, got ${revision}`);
  return revision;
}

function toLimit(maxCount: number | bigint | undefined): bigint | undefined {
  if (maxCount === undefined) return undefined;
  if (typeof maxCount === 'number' && !Number.isSafeInteger(maxCount)) {
    throw new InvalidArgumentError(`maxCount must be an integer, got ${maxCount}`);
  }
  const limit = BigInt(maxCount);
  if (limit < 0n) throw new InvalidArgumentError(`maxCount must not be negative, got ${maxCount}`);
  return limit;
}

/**
 * Iterates a client read and cancels its gRPC call if we stop early: destroying the
 * Readable (what `for await` does on break) leaves the call streaming into nothing.
 */
async function* cancellingOnExit<E>(read: StreamingRead<E>): AsyncGenerator<E> {
  let finished = false;
  try {
    for await (const item of read) yield item;
    finished = true;
  } finally {
    // cancel() rejects if the call never started, and then there is nothing to cancel.
    if (!finished) await read.cancel().catch(() => undefined);
  }
}

/**
 * The 6.2.1 client cannot ask for STREAM_EXISTS on delete: DeleteStreamOptions and
 * TombstoneStreamOptions exclude it, and deleteStream would send the string as a revision.
 * So expect a revision no stream reaches: the server's WrongExpectedVersion tells us
 * whether the stream exists and at which revision; then delete at exactly that revision,
 * following any append that races in between.
 */
async function deleteExistingStream(
  remove: (expected: ClientExpectedRevision) => Promise<ClientDeleteResult>,
): Promise<ClientDeleteResult> {
  let expected = UNREACHABLE_REVISION;
  for (;;) {
    try {
      return await remove(expected);
    } catch (error) {
      if (!(error instanceof ClientWrongExpectedVersionError)) throw error;
      const actual = toActualRevision(error.actualVersion);
      // Rethrown as is: mapError reports it against 'stream_exists' from the caller's context.
      if (actual === 'no_stream') throw error;
      expected = actual;
    }
  }
}

/** An AbortSignal that fires when either input does, with a way to detach from both. */
function abortedByEither(a: AbortSignal, b: AbortSignal): { signal: AbortSignal; release: () => void } {
  const controller = new AbortController();
  const abort = () => controller.abort();
  if (a.aborted || b.aborted) abort();
  a.addEventListener('abort', abort);
  b.addEventListener('abort', abort);
  return {
    signal: controller.signal,
    release: () => {
      a.removeEventListener('abort', abort);
      b.removeEventListener('abort', abort);
    },
  };
}
