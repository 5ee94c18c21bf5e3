import { Readable } from 'node:stream';
import { CAAS_HEADERS, EVENTS_STREAM, decodeIntegrationEvent, toPublicEvent } from '@caas/messaging';
import { Logger } from '@nestjs/common';
import {
  DeliverPolicy,
  type Consumer,
  type ConsumerMessages,
  type FetchOptions,
  type JetStreamClient,
  type JsMsg,
} from 'nats';
import { eventFrame, keepaliveFrame } from './sse-frames';

export interface TenantEventFeedOptions {
  readonly tenantId: string;
  /** Only these event types; every type when absent. */
  readonly types?: ReadonlySet<string>;
  /** The first stream sequence to read (CAAS_EVENTS starts at 1). */
  readonly startSequence: number;
  /** Frames written before any event: the position announcement, an expiry notice. */
  readonly preamble: readonly string[];
  /** Names the ordered consumers, so an operator (and the specs) can tell whose they are. */
  readonly consumerPrefix: string;
  readonly keepaliveIntervalMs: number;
  /** Messages asked for per pull: with the socket's buffers, all one slow client can hold the gateway to. */
  readonly batchSize: number;
  /** How long one pull waits for new events (JetStream's minimum is 1 s). */
  readonly pullExpiresMs: number;
  /** When the credential expires (ms since the epoch): the feed ends then, and a reconnect needs a valid one. */
  readonly endsAt?: number;
}

/** Pull failures in a row (each followed by a fresh consumer) before the feed gives up and ends. */
const MAX_PULL_FAILURES = 3;
/** After `end()`, how long a client that does not read may keep the response open. */
const END_GRACE_MS = 1_000;
const logger = new Logger('EventFeed');

/**
 * One client's live feed as an HTTP body of SSE frames, read from CAAS_EVENTS with an
 * ordered consumer of its own.
 *
 * Pull-based: a pull is asked for only when the response wants more (`_read`), i.e.
 * when what was sent has drained into the socket, so a slow client holds at most one
 * batch past the response's high-water mark and the rest waits in JetStream. Messages
 * go from the fetch's callback straight into the response's buffer, not through the
 * fetch's async iterator: nats.js 2.29's iterator drops messages that arrive while the
 * reader is busy once the pull completes.
 *
 * Tenant and type filtering happen here, on the Caas-Tenant-Id header and the event
 * type: JetStream filters by subject only, and 2.9 servers take one filter subject.
 */
export class TenantEventFeed extends Readable {
  private consumer: Consumer | undefined;
  private pull: ConsumerMessages | undefined;
  /** The last stream sequence read from JetStream, sent or filtered out. */
  private cursor: number;
  /** The last sequence the client was told, by an event's id or a keepalive's. */
  private told: number;
  private wanted = false;
  private pulling: Promise<void> | undefined;
  private stopped = false;
  private failures = 0;
  private readonly keepalive: NodeJS.Timeout;
  private readonly expiry: NodeJS.Timeout | undefined;
  /** Resolves once the consumer is deleted (or was never created). */
  readonly released: Promise<void>;
  private release!: () => void;

  constructor(
    private readonly js: JetStreamClient,
    private readonly options: TenantEventFeedOptions,
    private readonly onClose: () => void,
  ) {
    super();
    this.cursor = options.startSequence - 1;
    this.told = this.cursor;
    this.released = new Promise((resolve) => (this.release = resolve));
    for (const frame of options.preamble) this.push(frame);
    this.keepalive = setInterval(() => this.sendKeepalive(), options.keepaliveIntervalMs);
    // setTimeout fires at once past 2^31-1 ms; credentials that live that long are not ended.
    const untilEnd = options.endsAt === undefined ? undefined : Math.max(0, options.endsAt - Date.now());
    this.expiry = untilEnd !== undefined && untilEnd < 2 ** 31 - 1 ? setTimeout(() => this.end(), untilEnd) : undefined;
  }

  override _read(): void {
    this.wanted = true;
    if (!this.pulling) this.pulling = this.pullWhileWanted().catch((error: Error) => void this.destroy(error));
  }

  /**
   * Ends the response after what was already sent (gateway shutdown, credential expiry)
   * and releases the consumer now. A client that has stopped reading is cut off after a
   * grace, or it would hold the server's shutdown up; it resumes from its last id.
   */
  end(): void {
    if (this.stopped) return;
    this.stop();
    this.push(null);
    setTimeout(() => this.destroy(), END_GRACE_MS).unref();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.stop();
    callback(error);
  }

  private stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.keepalive);
    clearTimeout(this.expiry);
    this.pull?.stop();
    void this.deleteConsumer().finally(() => {
      this.onClose();
      this.release();
    });
  }

  private async deleteConsumer(): Promise<void> {
    // After the running pull has ended, so that it cannot recreate the consumer behind us.
    await this.pulling;
    await this.consumer?.delete().catch(() => undefined);
    this.consumer = undefined;
  }

  private async pullWhileWanted(): Promise<void> {
    try {
      while (this.wanted && !this.stopped) await this.pullOnce();
    } finally {
      // In the same tick as the last check of `wanted`: a `_read` after it starts a new loop.
      this.pulling = undefined;
    }
  }

  /**
   * One pull of at most `batchSize` messages, each sent as it arrives (a pull waits up
   * to `pullExpiresMs` for its batch to fill; the client must not). Only the next pull
   * waits for the response to want more.
   */
  private async pullOnce(): Promise<void> {
    try {
      this.consumer ??= await this.js.consumers.get(EVENTS_STREAM, {
        name_prefix: this.options.consumerPrefix,
        deliver_policy: DeliverPolicy.StartSequence,
        opt_start_seq: this.cursor + 1,
      });
      if (this.stopped) return;
      // The ordered consumer's fetch takes a callback (typed only on consume).
      const options = {
        max_messages: this.options.batchSize,
        expires: this.options.pullExpiresMs,
        callback: (message: JsMsg) => this.deliver(message),
      } as FetchOptions;
      this.pull = await this.consumer.fetch(options);
      const error = await this.pull.closed();
      if (error) throw error;
      this.failures = 0;
    } catch (error) {
      if (this.stopped) return;
      this.failures += 1;
      logger.warn(`Pull for tenant ${this.options.tenantId} failed (${this.failures}): ${(error as Error).message}`);
      if (this.failures >= MAX_PULL_FAILURES) {
        // The client reconnects with its Last-Event-ID and loses nothing.
        this.end();
        return;
      }
      // Deleted server-side, lost with a server: go on from the cursor on a new one.
      void this.consumer?.delete().catch(() => undefined);
      this.consumer = undefined;
      await new Promise((resolve) => setTimeout(resolve, 200 * this.failures));
    } finally {
      this.pull = undefined;
    }
  }

  private deliver(message: JsMsg): void {
    // Stopped: the response is over. At or before the cursor: already handled (a new consumer's overlap).
    if (this.stopped || message.seq <= this.cursor) return;
    this.cursor = message.seq;
    if (message.headers?.get(CAAS_HEADERS.tenantId) !== this.options.tenantId) return;
    let frame: string;
    try {
      const event = decodeIntegrationEvent(message.data);
      if (this.options.types && !this.options.types.has(event.type)) return;
      frame = eventFrame(toPublicEvent(event, { sequence: message.seq, subject: message.subject }));
    } catch (error) {
      logger.warn(`Skipped CAAS_EVENTS #${message.seq}: ${(error as Error).message}`);
      return;
    }
    this.told = this.cursor;
    this.wanted = this.push(frame);
  }

  private sendKeepalive(): void {
    // Moving the client past other tenants' events keeps its position inside what the
    // stream retains, however quiet its own tenant is, and spares a reconnect the rescan.
    const frame = keepaliveFrame(this.cursor > this.told ? this.cursor : undefined);
    this.told = this.cursor;
    this.wanted = this.push(frame);
  }
}
