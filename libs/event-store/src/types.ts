/**
 * The event store port's value types, modelled on @eventstore/db-client 6.x so the
 * EventStoreDB adapter stays a thin mapping and code written against the port reads
 * like code written against the real client.
 */

/**
 * A point in the global ($all) order. Treat it as opaque: compare with
 * `comparePositions`, persist with `serializePosition`. Both adapters fill both
 * fields — EventStoreDB with its commit/prepare log positions, PostgreSQL with the
 * writing transaction id and the event's row position — and both order
 * lexicographically by (commit, prepare).
 */
export interface Position {
  readonly commit: bigint;
  readonly prepare: bigint;
}

export type Direction = 'forwards' | 'backwards';

/** What the caller believes the stream's last revision is, checked atomically with the append. */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | bigint;

/** What a stream actually was when an expected-revision check failed. */
export type ActualRevision = 'no_stream' | bigint;

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface EventData<Type extends string = string, Data = unknown, Metadata = unknown> {
  /** Caller-supplied UUID; re-appending the same ids at the same revision is a no-op. */
  readonly id: string;
  readonly type: Type;
  readonly data: Data;
  readonly metadata?: Metadata;
}

export interface RecordedEvent<Type extends string = string, Data = unknown, Metadata = unknown> {
  readonly streamId: string;
  readonly revision: bigint;
  readonly id: string;
  readonly type: Type;
  readonly data: Data;
  readonly metadata: Metadata | undefined;
  readonly position: Position;
  readonly created: Date;
}

export interface AppendOptions {
  readonly expectedRevision?: ExpectedRevision;
}

export interface AppendResult {
  readonly nextExpectedRevision: bigint;
  readonly position: Position;
}

export interface ReadStreamOptions {
  /** Inclusive. */
  readonly fromRevision?: 'start' | 'end' | bigint;
  readonly direction?: Direction;
  readonly maxCount?: number | bigint;
}

/**
 * Server-side filter. A category is the part of a stream name before its first '-'
 * (`container-42` is in category `container`); event types match exactly.
 * When both are given an event must match both.
 */
export interface EventFilter {
  readonly categories?: readonly string[];
  readonly eventTypes?: readonly string[];
}

export interface ReadAllOptions {
  /** Inclusive. */
  readonly fromPosition?: 'start' | 'end' | Position;
  readonly direction?: Direction;
  readonly maxCount?: number | bigint;
  readonly filter?: EventFilter;
}

export interface SubscribeToAllOptions {
  /** Exclusive: the first event delivered is the one after this position. */
  readonly fromPosition?: 'start' | 'end' | Position;
  readonly filter?: EventFilter;
}

export interface SubscribeToStreamOptions {
  /** Exclusive: the first event delivered is the one after this revision. */
  readonly fromRevision?: 'start' | 'end' | bigint;
}

export interface DeleteOptions {
  readonly expectedRevision?: ExpectedRevision;
}

export interface DeleteResult {
  readonly position: Position | undefined;
}

export type SubscriptionMessage =
  | { readonly kind: 'event'; readonly event: RecordedEvent }
  /** Emitted once the subscription has delivered everything that existed when it (re)started. */
  | { readonly kind: 'caughtUp' };

/**
 * A catch-up subscription. Iterate it with `for await`; each message is awaited
 * before the next is produced, so a slow handler applies back-pressure. After a lost
 * connection it reopens on its own from the last delivered event.
 */
export interface Subscription extends AsyncIterable<SubscriptionMessage> {
  unsubscribe(): Promise<void>;
}
