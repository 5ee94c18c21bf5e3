import type { EventStore } from '../event-store.port';
import { comparePositions } from '../position';
import { delay } from '../backoff';
import type { EventFilter, RecordedEvent, Subscription } from '../types';
import type { CheckpointStore } from './checkpoint-store';
import { ReadAhead } from './read-ahead';

interface ConsumerSettings {
  /** Unique per read model; the checkpoint is stored under it. */
  readonly name: string;
  readonly filter?: EventFilter;
  /**
   * Events applied per transaction at most, when they are already waiting (default 100
   * with `handle`, 1,000 with `handleBatch`: bench/billing measured the larger batches).
   */
  readonly maxBatch?: number;
  /** How many batches are read ahead while one is written (default 4). */
  readonly readAheadBatches?: number;
  /** Called when a batch fails; the consumer then restarts from its stored checkpoint. */
  readonly onError?: (error: unknown) => void;
  readonly retryDelayMs?: number;
}

/** Exactly one of the two: a handler per event, or one per batch. */
export type EventHandlers<Tx> =
  | {
      /** Applies one event using `tx`; whatever it writes commits together with the checkpoint. */
      readonly handle: (event: RecordedEvent, tx: Tx) => Promise<void>;
      readonly handleBatch?: never;
    }
  | {
      /**
       * Applies a batch (in order, none of it covered by the checkpoint) using `tx`, in one
       * call: a read model can then write a batch in a few statements instead of one per
       * event. What it writes commits together with the checkpoint.
       */
      readonly handleBatch: (events: RecordedEvent[], tx: Tx) => Promise<void>;
      readonly handle?: never;
    };

export type CheckpointedConsumerOptions<Tx> = ConsumerSettings & EventHandlers<Tx>;

const DEFAULT_MAX_BATCH = 100;
const DEFAULT_MAX_BATCH_OF_BATCH_HANDLER = 1_000;
const DEFAULT_READ_AHEAD_BATCHES = 4;

/**
 * Feeds a filtered $all subscription into a read model, exactly once. Each batch runs
 * in one transaction that locks the checkpoint, skips what the checkpoint already
 * covers, applies the rest (event by event with `handle`, in one call with
 * `handleBatch`) and moves the checkpoint — so a crash at any point either commits the
 * batch and its checkpoint together or neither. The next batches are read while one is
 * written (ReadAhead).
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
  ) {
    // The types say so already; this catches callers that build options dynamically.
    if (!options.handle === !options.handleBatch) {
      throw new Error(`Consumer '${options.name}': give exactly one of handle and handleBatch`);
    }
  }

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
    const subscription = this.store.subscribeToAll({
      fromPosition: checkpoint ?? 'start',
      filter: this.options.filter,
    });
    this.subscription = subscription;
    const maxBatch = this.maxBatch();
    const batches = new ReadAhead(
      subscription,
      maxBatch,
      maxBatch * (this.options.readAheadBatches ?? DEFAULT_READ_AHEAD_BATCHES),
    );
    try {
      for (;;) {
        const { events, caughtUp, done } = await batches.next();
        if (events.length > 0) await this.apply(events);
        if (caughtUp) this.markCaughtUp();
        if (done) return;
      }
    } finally {
      await subscription.unsubscribe();
      await batches.close();
    }
  }

  private maxBatch(): number {
    const { maxBatch, handleBatch } = this.options;
    return maxBatch ?? (handleBatch ? DEFAULT_MAX_BATCH_OF_BATCH_HANDLER : DEFAULT_MAX_BATCH);
  }

  private apply(batch: RecordedEvent[]): Promise<void> {
    const { name } = this.options;
    return this.checkpoints.transaction(name, async (tx, stored) => {
      const fresh = stored ? batch.filter((event) => comparePositions(event.position, stored) > 0) : batch;
      if (fresh.length === 0) return;
      await this.handle(fresh, tx);
      await this.checkpoints.save(tx, name, fresh[fresh.length - 1].position);
    });
  }

  private async handle(events: RecordedEvent[], tx: Tx): Promise<void> {
    const { options } = this;
    if (options.handleBatch) return options.handleBatch(events, tx);
    for (const event of events) await options.handle(event, tx);
  }

  private markCaughtUp(): void {
    this.isCaughtUp = true;
    for (const resolve of this.caughtUpWaiters.splice(0)) resolve();
  }
}
