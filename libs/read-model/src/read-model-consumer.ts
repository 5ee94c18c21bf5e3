import {
  type CheckpointStore,
  CheckpointedConsumer,
  type EventFilter,
  type EventHandlers,
  type EventStore,
  type Position,
  comparePositions,
  serializePosition,
} from '@caas/event-store';
import type { DataSource, EntityManager } from 'typeorm';
import { TypeOrmCheckpointStore } from './typeorm-checkpoint-store';

interface ReadModelSettings {
  /** Unique per read model: its checkpoint is stored under it. Instances of one service share it. */
  readonly name: string;
  /** Which events the read model needs; give categories, or it reads every service's events. */
  readonly filter: EventFilter;
  readonly onError?: (error: unknown) => void;
  readonly maxBatch?: number;
  readonly readAheadBatches?: number;
  readonly retryDelayMs?: number;
  /** How long `waitFor` waits by default (10 s). */
  readonly waitTimeoutMs?: number;
}

/**
 * `handle` applies one event with `manager`, `handleBatch` a batch in one call (exactly
 * one of them); what they write commits together with the checkpoint.
 */
export type ReadModelConsumerOptions = ReadModelSettings & EventHandlers<EntityManager>;

/** The read model did not reach a position in time: the write happened, the view lags. */
export class ReadModelLagError extends Error {
  constructor(
    readonly consumer: string,
    readonly position: Position,
    readonly timeoutMs: number,
  ) {
    super(`Read model '${consumer}' did not reach ${serializePosition(position)} within ${timeoutMs} ms`);
    this.name = 'ReadModelLagError';
  }
}

interface Waiter {
  readonly position: Position;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

/**
 * A TypeORM read model fed by a CheckpointedConsumer, plus `waitFor(position)`: a
 * command handler appends, then waits for its own read model to have applied what it
 * appended before answering, so the caller's next query sees its write.
 *
 * "Applied" means the committed checkpoint has reached the position — whichever
 * instance of the service committed it. Several instances share one checkpoint; the
 * one that did not apply an event still learns it was applied when its own
 * subscription delivers the event and the locked checkpoint already covers it.
 */
export class ReadModelConsumer {
  private constructor(
    private readonly consumer: CheckpointedConsumer<EntityManager>,
    private readonly applied: AppliedPositions,
    private readonly options: ReadModelConsumerOptions,
  ) {}

  static async start(
    store: EventStore,
    dataSource: DataSource,
    options: ReadModelConsumerOptions,
  ): Promise<ReadModelConsumer> {
    const checkpoints = await TypeOrmCheckpointStore.create(dataSource);
    const applied = new AppliedPositions(options.name);
    const consumer = new CheckpointedConsumer(
      store,
      trackCommitted(checkpoints, (position) => applied.advance(position)),
      {
        name: options.name,
        filter: options.filter,
        ...handlersOf(options),
        onError: options.onError,
        maxBatch: options.maxBatch,
        readAheadBatches: options.readAheadBatches,
        retryDelayMs: options.retryDelayMs,
      },
    );
    consumer.start();
    return new ReadModelConsumer(consumer, applied, options);
  }

  /** Resolves once everything committed before the start has been applied. */
  caughtUp(): Promise<void> {
    return this.consumer.caughtUp();
  }

  /**
   * Resolves once the read model has applied the event at `position` (the position an
   * append returned). Rejects with ReadModelLagError after `timeoutMs`. The position
   * must be one of this read model's events (in its filter), or it waits until a later
   * one arrives.
   */
  waitFor(position: Position, timeoutMs = this.options.waitTimeoutMs ?? 10_000): Promise<void> {
    return this.applied.waitFor(position, timeoutMs);
  }

  async stop(): Promise<void> {
    await this.consumer.stop();
    this.applied.stop();
  }
}

/** The highest committed checkpoint seen, and the callers waiting for it to pass a position. */
class AppliedPositions {
  private applied: Position | undefined;
  private waiters: Waiter[] = [];
  private stopped = false;

  constructor(private readonly name: string) {}

  waitFor(position: Position, timeoutMs: number): Promise<void> {
    if (this.covers(position)) return Promise.resolve();
    if (this.stopped) return Promise.reject(new Error(`Read model '${this.name}' is stopped`));
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        position,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters = this.waiters.filter((w) => w !== waiter);
          reject(new ReadModelLagError(this.name, position, timeoutMs));
        }, timeoutMs),
      };
      this.waiters.push(waiter);
    });
  }

  advance(position: Position): void {
    if (this.covers(position)) return;
    this.applied = position;
    const [reached, waiting] = partition(this.waiters, (waiter) => this.covers(waiter.position));
    this.waiters = waiting;
    for (const waiter of reached) {
      clearTimeout(waiter.timer);
      waiter.resolve();
    }
  }

  stop(): void {
    this.stopped = true;
    for (const waiter of this.waiters.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.reject(new Error(`Read model '${this.name}' stopped`));
    }
  }

  private covers(position: Position): boolean {
    return this.applied !== undefined && comparePositions(this.applied, position) >= 0;
  }
}

/**
 * Wraps a checkpoint store to report each checkpoint once it is committed: the one
 * found under the lock (another instance's progress) or the one this batch saved.
 * A CheckpointedConsumer runs one batch at a time, so one pending slot suffices.
 */
function trackCommitted<Tx>(inner: CheckpointStore<Tx>, committed: (position: Position) => void): CheckpointStore<Tx> {
  let saved: Position | undefined;
  return {
    async load(consumer) {
      const position = await inner.load(consumer);
      if (position) committed(position);
      return position;
    },
    async transaction(consumer, work) {
      saved = undefined;
      let stored: Position | undefined;
      const result = await inner.transaction(consumer, (tx, checkpoint) => {
        stored = checkpoint;
        return work(tx, checkpoint);
      });
      const reached = saved ?? stored;
      if (reached) committed(reached);
      return result;
    },
    async save(tx, consumer, position) {
      await inner.save(tx, consumer, position);
      saved = position;
    },
  };
}

/** Only the handler given: the consumer checks that exactly one is. */
function handlersOf(options: EventHandlers<EntityManager>): EventHandlers<EntityManager> {
  return options.handleBatch ? { handleBatch: options.handleBatch } : { handle: options.handle };
}

function partition<T>(items: readonly T[], test: (item: T) => boolean): [T[], T[]] {
  const yes: T[] = [];
  const no: T[] = [];
  for (const item of items) (test(item) ? yes : no).push(item);
  return [yes, no];
}
