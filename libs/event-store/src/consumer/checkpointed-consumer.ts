import type { EventStore } from '../event-store.port';
import { comparePositions } from '../position';
import { delay } from '../backoff';
import type { EventFilter, RecordedEvent, Subscription, SubscriptionMessage } from '../types';
import type { CheckpointStore } from './checkpoint-store';

export interface CheckpointedConsumerOptions<Tx> {
  /** Unique per read model; the checkpoint is stored under it. */
  readonly name: string;
  readonly filter?: EventFilter;
  /** Applies one event using `tx`; whatever it writes commits together with the checkpoint. */
  readonly handle: (event: RecordedEvent, tx: Tx) => Promise<void>;
  /** Events applied per transaction at most, when they are already waiting (default 100). */
  readonly maxBatch?: number;
  /** Called when a batch fails; the consumer then restarts from its stored checkpoint. */
  readonly onError?: (error: unknown) => void;
  readonly retryDelayMs?: number;
}

/**
 * Feeds a filtered $all subscription into a read model, exactly once. Each batch runs
 * in one transaction that locks the checkpoint, skips what the checkpoint already
 * covers, applies the rest and moves the checkpoint — so a crash at any point either
 * commits the batch and its checkpoint together or neither.
 */
export class CheckpointedConsumer<Tx> {
  private subscription: Subscription | undefined;
  private stopped = false;
  private running: Promise<void> | undefined;
  private caughtUpWaiters: Array<() => void> = [];
  private isCaughtUp = false;

  constructor(
    private readonly store: EventStore,
    private readonly checkpoints: CheckpointStore<Tx>,
    private readonly options: CheckpointedConsumerOptions<Tx>,
  ) {}

  start(): void {
    this.stopped = false;
    this.running ??= this.runUntilStopped();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.subscription?.unsubscribe();
    await this.running;
    this.running = undefined;
  }

  /** Resolves once everything committed before the (latest) start has been applied. */
  caughtUp(): Promise<void> {
    if (this.isCaughtUp) return Promise.resolve();
    return new Promise((resolve) => this.caughtUpWaiters.push(resolve));
  }

  private async runUntilStopped(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.consume();
      } catch (error) {
        if (this.stopped) return;
        this.options.onError?.(error);
        await delay(this.options.retryDelayMs ?? 1_000);
      }
    }
  }

  private async consume(): Promise<void> {
    const checkpoint = await this.checkpoints.load(this.options.name);
    this.isCaughtUp = false;
    this.subscription = this.store.subscribeToAll({ fromPosition: checkpoint ?? 'start', filter: this.options.filter });
    const batches = new Batcher(this.subscription[Symbol.asyncIterator](), this.options.maxBatch ?? 100);
    try {
      for (;;) {
        const { events, caughtUp, done } = await batches.next();
        if (events.length > 0) await this.apply(events);
        if (caughtUp) this.markCaughtUp();
        if (done) return;
      }
    } finally {
      await this.subscription.unsubscribe();
    }
  }

  private apply(batch: RecordedEvent[]): Promise<void> {
    const { name, handle } = this.options;
    return this.checkpoints.transaction(name, async (tx, stored) => {
      const fresh = stored ? batch.filter((event) => comparePositions(event.position, stored) > 0) : batch;
      for (const event of fresh) await handle(event, tx);
      if (fresh.length > 0) await this.checkpoints.save(tx, name, fresh[fresh.length - 1].position);
    });
  }

  private markCaughtUp(): void {
    this.isCaughtUp = true;
    for (const resolve of this.caughtUpWaiters.splice(0)) resolve();
  }
}

const NOT_READY = Symbol('not ready');

interface Batch {
  readonly events: RecordedEvent[];
  readonly caughtUp: boolean;
  readonly done: boolean;
}

/**
 * Waits for one message, then takes whatever else is already available without
 * waiting, up to `max` events: batches grow under load and stay at one when idle.
 * A request still outstanding when a batch closes is kept for the next batch, since
 * an async iterator must not be asked twice for the same message.
 */
class Batcher {
  private pending: Promise<IteratorResult<SubscriptionMessage>> | undefined;

  constructor(
    private readonly messages: AsyncIterator<SubscriptionMessage>,
    private readonly max: number,
  ) {}

  async next(): Promise<Batch> {
    const events: RecordedEvent[] = [];
    for (;;) {
      this.pending ??= this.messages.next();
      const result = events.length === 0 ? await this.pending : await Promise.race([this.pending, nextMacrotask()]);
      if (result === NOT_READY) return { events, caughtUp: false, done: false };
      this.pending = undefined;
      if (result.done) return { events, caughtUp: false, done: true };
      if (result.value.kind === 'caughtUp') return { events, caughtUp: true, done: false };
      events.push(result.value.event);
      if (events.length >= this.max) return { events, caughtUp: false, done: false };
    }
  }
}

function nextMacrotask(): Promise<typeof NOT_READY> {
  return new Promise((resolve) => setImmediate(() => resolve(NOT_READY)));
}
