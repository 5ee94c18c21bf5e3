import type {
  AppendOptions,
  AppendResult,
  DeleteOptions,
  DeleteResult,
  EventData,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeToAllOptions,
  SubscribeToStreamOptions,
  Subscription,
} from './types';

/**
 * The one way services persist and read events. Two adapters implement it —
 * PostgreSQL (default, CI) and EventStoreDB (production) — and
 * `conformance/event-store.conformance.ts` proves they behave the same.
 */
export interface EventStore {
  /**
   * Appends atomically. Revisions start at 0. Throws `WrongExpectedVersionError`
   * when the check fails, `StreamDeletedError` on a tombstoned stream. Appending
   * events whose ids are already committed at the same place succeeds and writes
   * nothing.
   */
  appendToStream(stream: string, events: readonly EventData[], options?: AppendOptions): Promise<AppendResult>;

  /** Throws `StreamNotFoundError` / `StreamDeletedError` when iterated. */
  readStream(stream: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent>;

  /** Every user event in global order (system events are never returned). */
  readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent>;

  subscribeToAll(options?: SubscribeToAllOptions): Subscription;

  subscribeToStream(stream: string, options?: SubscribeToStreamOptions): Subscription;

  /** Soft delete: reads say not found; a later append continues the numbering. */
  deleteStream(stream: string, options?: DeleteOptions): Promise<DeleteResult>;

  /** Permanent: every later read or append throws `StreamDeletedError`. */
  tombstoneStream(stream: string, options?: DeleteOptions): Promise<DeleteResult>;

  close(): Promise<void>;
}
