import { Readable } from 'node:stream';
import { LOG_FOLLOW, SCHEDULING, type LogFollowMessage, type LogFollowStarted } from '@caas/contracts';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';
import type { RpcClient } from '@caas/messaging/src/rpc/rpc-client';
import { Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { ErrorCode, createInbox, type NatsConnection, type NatsError, type Subscription } from 'nats';

export interface FollowLogQuery {
  readonly containerId: string;
  readonly tail: number;
}

const decoder = new TextDecoder();
const logger = new Logger('LogFollower');

/**
 * The gateway side of the log-follow protocol (LOG_FOLLOW in the contracts): asks the
 * scheduling service to stream a container's log to an inbox of this connection, and
 * answers it as NDJSON — one `{stream, at, line}` per line — that ends with the log.
 */
export class LogFollower implements BeforeApplicationShutdown {
  private readonly open = new Set<FollowedLog>();

  constructor(
    private readonly nats: NatsConnection,
    private readonly rpc: RpcClient,
    private readonly keepaliveIntervalMs: number = LOG_FOLLOW.keepaliveIntervalMs,
  ) {}

  /**
   * Resolves once the scheduling service has accepted (tenant checked, log open); rejects
   * with its CaasError (not_found…) before anything is streamed. Destroying the stream
   * (the HTTP client went away) cancels the session.
   */
  async follow(query: FollowLogQuery, meta: RequestMeta): Promise<Readable> {
    // Subscribed before the request goes out on this same connection, so NATS has the
    // subscription before the service can publish; lines that beat the answer wait in
    // the stream until it is read.
    const log = new FollowedLog(this.nats, createInbox(), () => this.open.delete(log));
    try {
      await this.rpc.request<LogFollowStarted>(SCHEDULING.followContainerLogs, { ...query, inbox: log.inbox }, meta);
    } catch (error) {
      log.destroy();
      throw error;
    }
    this.open.add(log);
    log.keepAlive(this.keepaliveIntervalMs);
    return log;
  }

  /** Ends every followed log, so the HTTP server can close instead of waiting for them. */
  beforeApplicationShutdown(): void {
    for (const log of this.open) log.push(null);
  }
}

/**
 * One followed log as an HTTP body. Push-based: core NATS has no flow control, so lines
 * a slow client cannot take yet wait in the stream's buffer.
 */
class FollowedLog extends Readable {
  private readonly subscription: Subscription;
  private keepalive?: NodeJS.Timeout;
  /** The service said `end`, or the session is known to be gone: no cancel to send. */
  private ended = false;

  constructor(
    private readonly nats: NatsConnection,
    readonly inbox: string,
    private readonly onClose: () => void,
  ) {
    super();
    this.subscription = nats.subscribe(inbox, {
      callback: (error, message) => (error ? this.finish() : this.receive(message.data)),
    });
    // The connection closing (gateway shutdown) ends the response instead of leaving it hanging.
    void this.subscription.closed.then(
      () => this.finish(),
      () => this.finish(),
    );
  }

  override _read(): void {}

  /**
   * Sent as requests: "no responders" means the session is gone (the service
   * restarted, or its `end` was lost), and nothing more will come.
   */
  keepAlive(intervalMs: number): void {
    this.keepalive = setInterval(() => {
      this.nats
        .request(LOG_FOLLOW.aliveSubject(this.inbox), undefined, { timeout: intervalMs })
        .catch((error: NatsError) => {
          if (error.code === ErrorCode.NoResponders) this.finish();
          else if (error.code !== ErrorCode.Timeout) logger.warn(`Keepalive for ${this.inbox}: ${error.message}`);
        });
    }, intervalMs);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    clearInterval(this.keepalive);
    this.subscription.unsubscribe();
    this.onClose();
    // Also when the request failed: after a timeout the session may yet start.
    if (!this.ended && !this.nats.isClosed()) this.nats.publish(LOG_FOLLOW.cancelSubject(this.inbox));
    this.ended = true;
    callback(error);
  }

  private receive(data: Uint8Array): void {
    const message = parse(data);
    if (message?.type === 'end') return this.finish();
    if (message?.type === 'line') {
      this.push(`${JSON.stringify({ stream: message.stream, at: message.at, line: message.line })}\n`);
    }
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    this.push(null);
  }
}

function parse(data: Uint8Array): LogFollowMessage | undefined {
  try {
    return JSON.parse(decoder.decode(data)) as LogFollowMessage;
  } catch {
    return undefined;
  }
}
