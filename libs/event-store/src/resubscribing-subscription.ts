import { delay, exponentialBackoff } from './backoff';
import type { RecordedEvent, Subscription, SubscriptionMessage } from './types';

export interface ResubscribeOptions<Cursor> {
  readonly from: Cursor;
  /** Opens the underlying feed delivering events strictly after `from`; it must end when `signal` aborts. */
  readonly open: (from: Cursor, signal: AbortSignal) => AsyncIterable<SubscriptionMessage>;
  /** Where to restart after this event has been delivered. */
  readonly cursorOf: (event: RecordedEvent) => Cursor;
  /** Lost connections and unavailable servers are retried; anything else ends the subscription. */
  readonly isTransient: (error: unknown) => boolean;
  readonly initialBackoffMs?: number;
  readonly maxBackoffMs?: number;
  readonly onReconnect?: (error: unknown, attempt: number) => void;
  readonly onUnsubscribe?: () => void;
}

/**
 * Wraps an adapter's raw catch-up feed so a lost connection reopens it from the last
 * event handed to the caller, with exponential backoff. The EventStoreDB client does
 * not resubscribe by itself and a PostgreSQL connection can drop at any time, so both
 * adapters share this one loop.
 */
export class ResubscribingSubscription<Cursor> implements Subscription {
  private readonly abort = new AbortController();
  private iterated = false;

  constructor(private readonly options: ResubscribeOptions<Cursor>) {}

  async unsubscribe(): Promise<void> {
    this.abort.abort();
    this.options.onUnsubscribe?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<SubscriptionMessage> {
    if (this.iterated) throw new Error('A subscription can be iterated only once');
    this.iterated = true;
    const { open, cursorOf, isTransient, onReconnect } = this.options;
    const initialBackoff = this.options.initialBackoffMs ?? 100;
    const maxBackoff = this.options.maxBackoffMs ?? 5_000;
    let from = this.options.from;
    let attempt = 0;
    while (!this.abort.signal.aborted) {
      try {
        for await (const message of open(from, this.abort.signal)) {
          if (this.abort.signal.aborted) return;
          attempt = 0;
          if (message.kind === 'event') from = cursorOf(message.event);
          yield message;
        }
        return;
      } catch (error) {
        if (this.abort.signal.aborted) return;
        if (!isTransient(error)) throw error;
        attempt += 1;
        onReconnect?.(error, attempt);
        await delay(exponentialBackoff(attempt, initialBackoff, maxBackoff), this.abort.signal);
      }
    }
  }
}
