import type { ConsumerMessages, JsMsg, NatsConnection } from 'nats';
import type { Pool, PoolClient } from 'pg';
import { publishDeadLetter } from './dead-letter';
import { delay, exponentialBackoff } from '@caas/event-store';
import { ensureDurableConsumer } from './durable-consumer';
import { decodeIntegrationEvent, type IntegrationEvent } from './integration-event';
import { claimEvent, migrateMessaging } from './processed-events';
import { EVENTS_STREAM } from './subjects';

export interface JetStreamConsumerOptions {
  readonly nc: NatsConnection;
  /** The consuming service's database: its writes, and the idempotency record, commit together. */
  readonly pool: Pool;
  /**
   * Durable consumer name on CAAS_EVENTS (unique across the platform, e.g.
   * `billing-on-tenancy`). Also the idempotency scope and the dead-letter subject
   * `caas.dlq.<durable>`. Every instance of a service shares it and the work.
   */
  readonly durable: string;
  /** One subject (wildcards allowed) or, on NATS ≥ 2.10 only, several: see `ensureDurableConsumer`. */
  readonly filterSubjects: string | readonly string[];
  /** Applies one event using `tx`; whatever it writes commits together with "this event was processed". */
  readonly handle: (event: IntegrationEvent, tx: PoolClient, delivery: EventDelivery) => Promise<void>;
  /** Handler failures before the message is dead-lettered (default 5). */
  readonly maxDeliver?: number;
  /** Redelivery delay after the n-th failure, in ms; the last entry repeats (default 1 s, 5 s, 30 s). */
  readonly backoff?: readonly number[];
  /** Ack wait in ms (default 30 s); a running handler keeps extending it. */
  readonly ackWait?: number;
  /** Messages pulled ahead of the one being handled (default 10). */
  readonly maxMessages?: number;
  /**
   * Up to this many messages that have already arrived are applied in one transaction
   * (default 1: each alone). Catching up on a burst then costs one commit per batch, not
   * per event. A batch never waits for more messages: it is what was there. When any of
   * its handlers fails, the batch is rolled back and each message applied alone, so only
   * the failing one is retried or dead-lettered.
   */
  readonly batchSize?: number;
  /** Where a newly created consumer starts: every retained event (default) or only new ones. */
  readonly deliverPolicy?: 'all' | 'new';
  readonly onError?: (error: unknown, event?: IntegrationEvent) => void;
}

/** Where a message sits in CAAS_EVENTS: its sequence orders events across every context. */
export interface EventDelivery {
  readonly sequence: number;
  readonly subject: string;
}

/** A failure of the caller's handler, as opposed to ours (PostgreSQL, NATS). */
class HandlerFailed extends Error {
  constructor(readonly reason: unknown) {
    super((reason as Error)?.message ?? String(reason));
  }
}

/**
 * Feeds one durable JetStream pull consumer into a handler, once per event: each message
 * is applied in a PostgreSQL transaction that first records (consumer, event id) in
 * `messaging.processed_events`; a redelivered or re-published event finds its record and
 * is acked without being handled again. Acks go out only after the commit.
 *
 * Failures: a handler error rolls the transaction back and naks the message with
 * `backoff[delivery - 1]`; on delivery `maxDeliver` or later it is dead-lettered to
 * `caas.dlq.<durable>` and terminated. Our own failures (PostgreSQL unreachable, a failed
 * commit) are naked with backoff but never dead-letter a message — they are not its
 * fault — though they do use up deliveries. A message that crashes the process is
 * redelivered for ever (see `ensureDurableConsumer`); that is loud, losing it is not.
 *
 * Messages are handled one at a time in stream order (with `batchSize`, several in one
 * transaction, still in order). Order is not a promise, though: a
 * failed message is retried after its backoff while later ones go on, and a message the
 * server sent just as an instance stopped comes back only after the ack wait.
 */
export class JetStreamConsumer {
  private running: Promise<void> | undefined;
  private messages: ConsumerMessages | undefined;
  private stopping = false;
  private abort = new AbortController();
  private readonly filterSubjects: readonly string[];

  constructor(private readonly options: JetStreamConsumerOptions) {
    const { filterSubjects } = options;
    this.filterSubjects = typeof filterSubjects === 'string' ? [filterSubjects] : filterSubjects;
  }

  /** Migrates `messaging`, creates or updates the durable consumer, and starts consuming. */
  async start(): Promise<void> {
    if (this.running) return;
    const { nc, pool, durable } = this.options;
    await migrateMessaging(pool);
    await ensureDurableConsumer(await nc.jetstreamManager(), nc.info?.version, {
      durable,
      filterSubjects: this.filterSubjects,
      ackWaitMs: this.ackWait,
      deliverPolicy: this.options.deliverPolicy ?? 'all',
    });
    const consumer = await nc.jetstream().consumers.get(EVENTS_STREAM, durable);
    this.stopping = false;
    this.abort = new AbortController();
    const consume = () => consumer.consume({ max_messages: this.options.maxMessages ?? 10 });
    this.messages = await consume();
    this.running = this.run(this.messages, consume);
  }

  /**
   * Stops pulling, handles (and acks) the messages already pulled, and flushes the acks.
   * Messages still in transit are redelivered after the ack wait, to this or another instance.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    this.abort.abort();
    this.messages?.stop();
    await this.running;
    this.running = undefined;
    this.messages = undefined;
    if (!this.options.nc.isClosed()) await this.options.nc.flush().catch((error) => this.report(error));
  }

  /**
   * The durable's backlog: messages not yet delivered plus those delivered and not yet
   * acked (being handled, waiting for a redelivery after a failure, or in transit to an
   * instance that stopped). Shared by every instance, and it counts whether this one is
   * running or not. Throws while the durable does not exist (before the first `start`).
   */
  async pending(): Promise<number> {
    const jsm = await this.options.nc.jetstreamManager();
    const info = await jsm.consumers.info(EVENTS_STREAM, this.options.durable);
    return info.num_pending + info.num_ack_pending;
  }

  private async run(first: ConsumerMessages, consume: () => Promise<ConsumerMessages>): Promise<void> {
    let messages: ConsumerMessages | undefined = first;
    for (let failures = 0; !this.stopping;) {
      try {
        if (!messages) {
          messages = await consume();
          this.messages = messages;
          if (this.stopping) messages.stop();
        }
        if (this.batchSize > 1) await this.consumeInBatches(messages);
        else for await (const msg of messages) await this.process(msg);
        if (this.stopping || this.options.nc.isClosed()) return;
        throw new Error(`Consumer '${this.options.durable}': message stream ended, resubscribing`);
      } catch (error) {
        if (this.stopping || this.options.nc.isClosed()) return;
        this.report(error);
        messages = undefined;
        failures += 1;
        await delay(exponentialBackoff(failures, 100, 5_000), this.abort.signal);
      }
    }
  }

  /** Takes each message with those that arrived behind it (up to `batchSize`), never waiting for more. */
  private async consumeInBatches(messages: ConsumerMessages): Promise<void> {
    const iterator = messages[Symbol.asyncIterator]();
    const pull = () => {
      const next = iterator.next();
      // Awaited later (or never, once stopped): a rejection meanwhile is not unhandled.
      next.catch(() => undefined);
      return next;
    };
    let next = pull();
    for (;;) {
      const first = await next;
      if (first.done) return;
      const batch = [first.value];
      next = pull();
      while (batch.length < this.batchSize) {
        // Messages already here resolve within microtasks, before the next turn of the loop.
        const ready = await Promise.race([next, nextTurn()]);
        if (!ready || ready.done) break;
        batch.push(ready.value);
        next = pull();
      }
      await this.processBatch(batch);
    }
  }

  /** Never throws, as `process`: the batch commits and is acked together, or each is applied alone. */
  private async processBatch(batch: JsMsg[]): Promise<void> {
    if (batch.length === 1) return this.process(batch[0]);
    let items: Array<{ event: IntegrationEvent; delivery: EventDelivery }>;
    try {
      items = batch.map((msg) => ({ event: decodeIntegrationEvent(msg.data), delivery: deliveryOf(msg) }));
    } catch {
      // A malformed body is dead-lettered on its own path.
      for (const msg of batch) await this.process(msg);
      return;
    }
    const keepAlive = setInterval(
      () => batch.forEach((msg) => this.reply(() => msg.working())),
      Math.max(100, Math.floor(this.ackWait / 3)),
    );
    try {
      await this.applyAll(items);
    } catch {
      // Which one failed (or whether it was ours) shows when each is applied alone.
      clearInterval(keepAlive);
      for (const msg of batch) await this.process(msg);
      return;
    } finally {
      clearInterval(keepAlive);
    }
    for (const msg of batch) this.reply(() => msg.ack());
  }

  /** Never throws: every outcome ends in ack, nak or term (or, if NATS is gone, a redelivery later). */
  private async process(msg: JsMsg): Promise<void> {
    let event: IntegrationEvent;
    try {
      event = decodeIntegrationEvent(msg.data);
    } catch (error) {
      // Malformed bodies fail the same way every time: retrying is pointless.
      this.report(error);
      await this.deadLetter(msg, error);
      return;
    }
    // Keep the server from redelivering to another instance while a slow handler runs.
    const keepAlive = setInterval(() => this.reply(() => msg.working()), Math.max(100, Math.floor(this.ackWait / 3)));
    try {
      await this.applyAll([{ event, delivery: deliveryOf(msg) }]);
    } catch (error) {
      await this.failed(msg, event, error);
      return;
    } finally {
      clearInterval(keepAlive);
    }
    this.reply(() => msg.ack());
  }

  /** Applies the events in order in one transaction, each one that this durable has not claimed before. */
  private async applyAll(items: ReadonlyArray<{ event: IntegrationEvent; delivery: EventDelivery }>): Promise<void> {
    const { pool, durable, handle } = this.options;
    const tx = await pool.connect();
    let broken: Error | undefined;
    try {
      await tx.query('begin');
      for (const { event, delivery } of items) {
        if (!(await claimEvent(tx, durable, event.id))) continue;
        try {
          await handle(event, tx, delivery);
        } catch (error) {
          throw new HandlerFailed(error);
        }
      }
      await tx.query('commit');
    } catch (error) {
      // A failed rollback means a broken connection: release it to be destroyed, not reused.
      await tx.query('rollback').catch((rollbackError: Error) => (broken = rollbackError));
      throw error;
    } finally {
      tx.release(broken);
    }
  }

  private async failed(msg: JsMsg, event: IntegrationEvent, error: unknown): Promise<void> {
    const deliveries = msg.info.deliveryCount;
    if (!(error instanceof HandlerFailed)) {
      this.report(error, event);
      this.reply(() => msg.nak(this.backoffAfter(deliveries)));
      return;
    }
    this.report(error.reason, event);
    if (deliveries >= (this.options.maxDeliver ?? 5)) await this.deadLetter(msg, error.reason, event);
    else this.reply(() => msg.nak(this.backoffAfter(deliveries)));
  }

  private async deadLetter(msg: JsMsg, reason: unknown, event?: IntegrationEvent): Promise<void> {
    try {
      await publishDeadLetter(this.options.nc.jetstream(), this.options.durable, msg, reason);
    } catch (error) {
      // Not filed, so not terminated either: try again on a later delivery.
      this.report(error, event);
      this.reply(() => msg.nak(this.backoffAfter(msg.info.deliveryCount)));
      return;
    }
    this.reply(() => msg.term());
  }

  /**
   * Acks, naks and progress reports throw once the connection is closed. Nothing to do
   * then: the server redelivers after the ack wait, and processed_events absorbs a repeat.
   */
  private reply(send: () => void): void {
    try {
      send();
    } catch (error) {
      this.report(error);
    }
  }

  private backoffAfter(deliveries: number): number {
    const backoff = this.options.backoff ?? [1_000, 5_000, 30_000];
    if (backoff.length === 0) return 0;
    return backoff[Math.min(deliveries, backoff.length) - 1];
  }

  private get batchSize(): number {
    return Math.max(1, this.options.batchSize ?? 1);
  }

  private get ackWait(): number {
    return this.options.ackWait ?? 30_000;
  }

  private report(error: unknown, event?: IntegrationEvent): void {
    this.options.onError?.(error, event);
  }
}

function deliveryOf(msg: JsMsg): EventDelivery {
  return { sequence: msg.info.streamSequence, subject: msg.subject };
}

/** Resolves (with nothing) after the I/O of this turn: what is already buffered wins a race against it. */
function nextTurn(): Promise<undefined> {
  return new Promise((resolve) => setImmediate(() => resolve(undefined)));
}
