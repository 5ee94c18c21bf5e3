import {
  type CheckpointStore,
  comparePositions,
  delay,
  type EventStore,
  exponentialBackoff,
  type Position,
  type RecordedEvent,
  type Subscription,
} from '@caas/event-store';
import type { JetStreamClient, PubAck } from 'nats';
import { encodeIntegrationEvent, integrationEventHeaders, toIntegrationEvent } from './integration-event';
import { EVENTS_STREAM, assertSubjectToken, eventSubject } from './subjects';

export interface EventRelayOptions<Tx> {
  /** Checkpoint key (in the same table as read-model checkpoints), unique per relay, e.g. `relay-tenancy`. */
  readonly name: string;
  /** The owning service: `<context>` in `caas.events.<context>.<EventType>`. */
  readonly context: string;
  /** The service's own event-store categories. Required: an unfiltered relay would republish other services' events. */
  readonly categories: readonly string[];
  /**
   * Only these event types of those categories (default: all). For streams that also
   * hold private facts, e.g. a container's runtime spec with its environment variables.
   */
  readonly eventTypes?: readonly string[];
  /** The public copy of an event's data (default: as stored), e.g. with secrets masked. */
  readonly publicData?: (event: RecordedEvent) => unknown;
  readonly store: EventStore;
  readonly checkpoints: CheckpointStore<Tx>;
  readonly js: JetStreamClient;
  /** How long to wait for one publish ack before retrying it (default 5 s). */
  readonly publishTimeoutMs?: number;
  /** Retry backoff for failed publishes and subscription errors (defaults 100 ms doubling to 10 s). */
  readonly initialBackoffMs?: number;
  readonly maxBackoffMs?: number;
  /** Save the checkpoint after this many unsaved publishes (default 100)… */
  readonly checkpointEvery?: number;
  /** …or this long after the first unsaved one (default 250 ms). */
  readonly checkpointDelayMs?: number;
  /** Failed publishes and checkpoint writes; the relay keeps retrying after reporting. */
  readonly onError?: (error: unknown) => void;
  /** After each ack; `ack.duplicate` means JetStream already had the event (a re-publication). */
  readonly onPublished?: (event: RecordedEvent, ack: PubAck) => void;
}

interface Waiter {
  readonly position: Position;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

class RelayStopped extends Error {}

/**
 * Publishes a service's events from its event store to JetStream, in store order, one at
 * a time. The store is the outbox: an event is appended once, and the relay follows the
 * store from a checkpoint saved only after JetStream acked everything up to it, so a
 * crash can re-publish but never skip. Re-publications carry the event id as
 * Nats-Msg-Id and JetStream drops them within its 2-minute duplicate window; the
 * checkpoint is saved at least every `checkpointDelayMs`, far inside that window
 * (and consumers are idempotent by event id for whatever slips past it, e.g. a NATS
 * outage longer than the window that swallowed an ack).
 *
 * Why not pipeline publishes: if an earlier publish is lost (connection dropped before
 * the server read it) while a later one from the reconnect buffer is stored, retrying
 * the earlier one stores it after the later one — reordering one aggregate's events for
 * every consumer — and no JetStream expectation covers "the last message of this
 * context". One round trip per event is the price of order.
 *
 * Running two relays with the same name is safe (dedup, monotonic checkpoint) but wasteful.
 */
export class EventRelay<Tx = unknown> {
  private running: Promise<void> | undefined;
  private stopping = false;
  private abort = new AbortController();
  private subscription: Subscription | undefined;
  /** Last position JetStream acked. */
  private acked: Position | undefined;
  /** Last position known to be in the checkpoint store. */
  private saved: Position | undefined;
  private unsaved = 0;
  private flushTimer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private waiters: Waiter[] = [];

  constructor(private readonly options: EventRelayOptions<Tx>) {
    assertSubjectToken('Context', options.context);
    if (options.categories.length === 0) throw new Error(`EventRelay '${options.name}' needs at least one category`);
  }

  /** Starts relaying in the background; errors are reported through `onError` and retried. */
  start(): void {
    if (this.running) return;
    this.stopping = false;
    this.abort = new AbortController();
    this.running = this.runUntilStopped();
  }

  /**
   * Stops promptly: abandons a publish that is waiting out a backoff (the event stays in
   * the store and goes out on the next start), waits for one in flight, and saves the
   * checkpoint of everything acked.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    this.abort.abort();
    await this.subscription?.unsubscribe();
    await this.running;
    this.running = undefined;
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    await this.flush().catch((error) => this.report(error));
    for (const waiter of this.waiters.splice(0)) {
      waiter.reject(new Error(`EventRelay '${this.options.name}' stopped before relaying that far`));
    }
  }

  /**
   * Resolves once every event of the relay's categories that was readable in the store
   * when called has been acked by JetStream and checkpointed. (Events whose appending
   * transaction had not yet become visible to readers are not waited for; to wait for a
   * specific append use `relayedThrough(result.position)`.)
   */
  async caughtUp(): Promise<void> {
    const last = await this.lastEventPosition();
    if (last) await this.relayedThrough(last);
  }

  /**
   * Resolves once the event at `position` (one of the relay's categories, e.g. an
   * `AppendResult.position`) and everything before it is acked and checkpointed.
   */
  relayedThrough(position: Position): Promise<void> {
    if (this.saved && comparePositions(this.saved, position) >= 0) return Promise.resolve();
    if (!this.running) return Promise.reject(new Error(`EventRelay '${this.options.name}' is not running`));
    const waiting = new Promise<void>((resolve, reject) => this.waiters.push({ position, resolve, reject }));
    // Already published, only the checkpoint is pending: save now rather than after the delay.
    if (this.acked && comparePositions(this.acked, position) >= 0) this.flush().catch((error) => this.report(error));
    return waiting;
  }

  private async runUntilStopped(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      try {
        await this.relayFromCheckpoint();
        failures = 0;
      } catch (error) {
        if (this.stopping) return;
        this.report(error);
        failures += 1;
      }
      // Only reached on errors (or a subscription that ended by itself): back off, then
      // resume from the checkpoint, or from the last ack if that is further on.
      if (!this.stopping) await delay(this.backoff(Math.max(failures, 1)), this.abort.signal);
    }
  }

  private async relayFromCheckpoint(): Promise<void> {
    const { name, store, checkpoints } = this.options;
    const stored = await checkpoints.load(name);
    this.noteSaved(stored);
    if (this.stopping) return;
    const from = later(stored, this.acked);
    const subscription = store.subscribeToAll({ fromPosition: from ?? 'start', filter: this.filter() });
    this.subscription = subscription;
    try {
      for await (const message of subscription) {
        if (this.stopping) return;
        if (message.kind !== 'event') continue;
        await this.publish(message.event);
        await this.noteAcked(message.event.position);
      }
    } finally {
      await subscription.unsubscribe();
    }
  }

  /** Retries until JetStream acks or the relay stops: skipping an event is never an option. */
  private async publish(event: RecordedEvent): Promise<void> {
    const { context, js, publishTimeoutMs = 5_000 } = this.options;
    const { publicData } = this.options;
    const integrationEvent = toIntegrationEvent(publicData ? { ...event, data: publicData(event) } : event);
    for (let attempt = 1; ; attempt += 1) {
      try {
        const ack = await js.publish(eventSubject(context, event.type), encodeIntegrationEvent(integrationEvent), {
          msgID: event.id,
          headers: integrationEventHeaders(integrationEvent),
          timeout: publishTimeoutMs,
          // A stray stream capturing our subjects would otherwise ack events CAAS_EVENTS never got.
          expect: { streamName: EVENTS_STREAM },
        });
        this.options.onPublished?.(event, ack);
        return;
      } catch (error) {
        if (this.stopping) throw new RelayStopped();
        this.report(
          new Error(
            `EventRelay '${this.options.name}' could not publish event ${event.id} (${event.type}, ` +
              `${event.streamId}@${event.revision}), attempt ${attempt}: ${(error as Error).message}`,
            { cause: error },
          ),
        );
        await delay(this.backoff(attempt), this.abort.signal);
        if (this.stopping) throw new RelayStopped();
      }
    }
  }

  private async noteAcked(position: Position): Promise<void> {
    this.acked = position;
    this.unsaved += 1;
    const awaited = this.waiters.some((waiter) => comparePositions(waiter.position, position) <= 0);
    // Awaiting here (not just scheduling) bounds how far the checkpoint can lag behind the
    // acks when PostgreSQL is slow or down: a failure restarts the relay from the checkpoint.
    if (awaited || this.unsaved >= (this.options.checkpointEvery ?? 100)) await this.flush();
    else this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushTimer) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      this.flush().catch((error) => {
        this.report(error);
        if (!this.stopping) this.scheduleFlush();
      });
    }, this.options.checkpointDelayMs ?? 250);
  }

  /** Saves are chained so they never overtake each other. */
  private flush(): Promise<void> {
    const run = this.flushing.then(() => this.save());
    this.flushing = run.catch(() => undefined);
    return run;
  }

  private async save(): Promise<void> {
    const { name, checkpoints } = this.options;
    const position = this.acked;
    if (!position || (this.saved && comparePositions(position, this.saved) <= 0)) return;
    this.unsaved = 0;
    await checkpoints.transaction(name, async (tx, stored) => {
      // Never move backwards: another instance of this relay may be ahead of us.
      if (!stored || comparePositions(position, stored) > 0) await checkpoints.save(tx, name, position);
    });
    this.noteSaved(position);
  }

  private noteSaved(position: Position | undefined): void {
    this.saved = later(this.saved, position);
    const saved = this.saved;
    if (!saved) return;
    const [done, pending] = partition(this.waiters, (waiter) => comparePositions(waiter.position, saved) <= 0);
    this.waiters = pending;
    for (const waiter of done) waiter.resolve();
  }

  private filter() {
    const { categories, eventTypes } = this.options;
    return eventTypes ? { categories, eventTypes } : { categories };
  }

  private async lastEventPosition(): Promise<Position | undefined> {
    const events = this.options.store.readAll({
      direction: 'backwards',
      fromPosition: 'end',
      maxCount: 1,
      filter: this.filter(),
    });
    for await (const event of events) return event.position;
    return undefined;
  }

  private backoff(attempt: number): number {
    return exponentialBackoff(attempt, this.options.initialBackoffMs ?? 100, this.options.maxBackoffMs ?? 10_000);
  }

  private report(error: unknown): void {
    if (error instanceof RelayStopped) return;
    this.options.onError?.(error);
  }
}

function later(a: Position | undefined, b: Position | undefined): Position | undefined {
  if (!a) return b;
  if (!b) return a;
  return comparePositions(a, b) >= 0 ? a : b;
}

function partition<T>(items: readonly T[], predicate: (item: T) => boolean): [T[], T[]] {
  const yes: T[] = [];
  const no: T[] = [];
  for (const item of items) (predicate(item) ? yes : no).push(item);
  return [yes, no];
}
