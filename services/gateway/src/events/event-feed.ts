import type { Readable } from 'node:stream';
import { CaasError } from '@caas/contracts';
import { EVENTS_STREAM } from '@caas/messaging';
import { JS_ERR, jetStreamErrorCode } from '@caas/messaging/src/jetstream/nats-errors';
import type { BeforeApplicationShutdown } from '@nestjs/common';
import type { JetStreamClient, JetStreamManager, NatsConnection } from 'nats';
import type { FeedStart } from './event-stream.query';
import { commentFrame, positionExpiredFrame, positionFrame } from './sse-frames';
import { TenantEventFeed } from './tenant-event-feed';

export interface EventFeedSettings {
  readonly keepaliveIntervalMs: number;
  readonly batchSize: number;
  readonly pullExpiresMs: number;
  /** Every feed's ordered consumers are named `<prefix><nuid>_<n>`. */
  readonly consumerPrefix: string;
}

export const EVENT_FEED_DEFAULTS: EventFeedSettings = {
  keepaliveIntervalMs: 15_000,
  batchSize: 32,
  pullExpiresMs: 10_000,
  consumerPrefix: 'gateway_feed_',
};

export interface FeedRequest {
  readonly tenantId: string;
  readonly start: FeedStart;
  readonly types?: ReadonlySet<string>;
  /** When the caller's credential expires (ms since the epoch). */
  readonly endsAt?: number;
}

/**
 * Opens tenants' live feeds (`GET /v1/events/stream`) on CAAS_EVENTS, and ends them all
 * when the gateway shuts down, so the HTTP server can close and no consumer is left
 * behind (JetStream would drop an abandoned one after its inactivity threshold anyway).
 */
export class EventFeed implements BeforeApplicationShutdown {
  private readonly open = new Set<TenantEventFeed>();
  private readonly js: JetStreamClient;
  private jsm: Promise<JetStreamManager> | undefined;

  constructor(
    private readonly nats: NatsConnection,
    private readonly settings: EventFeedSettings = EVENT_FEED_DEFAULTS,
  ) {
    this.js = nats.jetstream();
  }

  /**
   * Fixes the start before anything is streamed: "new" is the sequence after the
   * stream's last now, announced to the client as its position, so a reconnect misses
   * nothing even when no event came in between.
   */
  async follow(request: FeedRequest): Promise<Readable> {
    const state = await this.streamState();
    const preamble: string[] = [];
    let startSequence: number;
    if (request.start === 'new') {
      startSequence = state.lastSequence + 1;
      preamble.push(positionFrame(state.lastSequence, 'live from here'));
    } else {
      startSequence = request.start.after + 1;
      // An empty stream has first 0 (new) or last + 1 (everything expired or purged).
      if (startSequence < state.firstSequence) {
        preamble.push(
          positionExpiredFrame({ lastEventId: request.start.after, firstRetainedSequence: state.firstSequence }),
        );
      } else {
        preamble.push(commentFrame(`resuming after ${request.start.after}`));
      }
    }
    const feed = new TenantEventFeed(this.js, { ...this.settings, ...request, startSequence, preamble }, () =>
      this.open.delete(feed),
    );
    this.open.add(feed);
    return feed;
  }

  /** Open feeds (their consumers may still be being deleted). */
  get openFeeds(): number {
    return this.open.size;
  }

  async beforeApplicationShutdown(): Promise<void> {
    const feeds = [...this.open];
    for (const feed of feeds) feed.end();
    await Promise.all(feeds.map((feed) => feed.released));
  }

  private async streamState(): Promise<{ firstSequence: number; lastSequence: number }> {
    try {
      this.jsm ??= this.nats.jetstreamManager();
      const { state } = await (await this.jsm).streams.info(EVENTS_STREAM);
      return { firstSequence: state.first_seq, lastSequence: state.last_seq };
    } catch (error) {
      this.jsm = undefined;
      if (jetStreamErrorCode(error) === JS_ERR.STREAM_NOT_FOUND) {
        throw new CaasError('unavailable', 'The event stream does not exist yet: no service has published events');
      }
      throw new CaasError('unavailable', 'The event stream cannot be read right now');
    }
  }
}
