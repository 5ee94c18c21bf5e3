import { CaasError, LOG_FOLLOW, type LogFollowMessage, type LogLineView } from '@caas/contracts';
import { Logger } from '@nestjs/common';
import type { NatsConnection, Subscription } from 'nats';
import type { ContainerLogSource } from './container-log-source';

export interface LogFollowTarget {
  readonly tenantId: string;
  readonly containerId: string;
  readonly tail: number;
  /** The caller's inbox: lines go there, keepalives and cancel come from `<inbox>.alive` / `.cancel`. */
  readonly inbox: string;
}

const encoder = new TextEncoder();
const logger = new Logger('LogFollowSession');

/**
 * The scheduling side of one followed log (protocol: LOG_FOLLOW in the contracts).
 * `open()` may fail — not found, host unavailable — before anything is published, so
 * the request can be answered with that error; `run()` then publishes every line and
 * one `end`, whatever stops it.
 */
export class LogFollowSession {
  private readonly abort = new AbortController();
  private readonly subscriptions: Subscription[] = [];
  private lines?: AsyncIterable<LogLineView>;
  private watchdog?: NodeJS.Timeout;
  private stopReason?: string;

  constructor(
    private readonly nats: NatsConnection,
    private readonly source: ContainerLogSource,
    private readonly target: LogFollowTarget,
    private readonly keepaliveTimeoutMs: number = LOG_FOLLOW.keepaliveTimeoutMs,
  ) {}

  /**
   * Opens the log and listens for keepalives and cancel. Resolves once the NATS server
   * has the subscriptions (flush), so a cancel sent right after the answer is heard.
   */
  async open(): Promise<void> {
    const { tenantId, containerId, tail, inbox } = this.target;
    this.lines = await this.source.open(tenantId, containerId, { tail, follow: true }, this.abort.signal);
    try {
      this.subscriptions.push(
        this.nats.subscribe(LOG_FOLLOW.aliveSubject(inbox), {
          callback: (_error, message) => {
            this.armWatchdog();
            // Answered when sent as a request: the caller learns the session still exists.
            if (message.reply) message.respond();
          },
        }),
        this.nats.subscribe(LOG_FOLLOW.cancelSubject(inbox), { callback: () => this.stop('cancelled') }),
      );
      this.armWatchdog();
      await this.nats.flush();
    } catch (error) {
      this.stop('failed to start');
      this.release();
      throw error;
    }
  }

  /** Publishes the lines, then `end`; resolves with the end's reason and never rejects. */
  async run(): Promise<string> {
    if (!this.lines) throw new Error('LogFollowSession.run() before open()');
    let reason = 'container stopped';
    try {
      for await (const line of this.lines) {
        if (this.stopReason) break;
        this.publish({ type: 'line', ...line });
      }
    } catch (error) {
      reason = error instanceof CaasError ? error.message : 'the log could not be read';
      if (!(error instanceof CaasError)) logger.error(`Following ${this.target.containerId} failed: ${String(error)}`);
    }
    reason = this.stopReason ?? reason;
    this.publish({ type: 'end', reason });
    this.stop(reason);
    this.release();
    return reason;
  }

  /** Stops reading the log; run() then publishes `end` with this reason. */
  stop(reason: string): void {
    if (this.stopReason) return;
    this.stopReason = reason;
    this.abort.abort();
  }

  /** A caller that died without cancelling stops sending keepalives. */
  private armWatchdog(): void {
    clearTimeout(this.watchdog);
    this.watchdog = setTimeout(() => this.stop('no keepalive'), this.keepaliveTimeoutMs);
    this.watchdog.unref();
  }

  private publish(message: LogFollowMessage): void {
    try {
      this.nats.publish(this.target.inbox, encoder.encode(JSON.stringify(message)));
    } catch (error) {
      // The connection is closed or draining: nobody will get more lines.
      this.stop(`publish failed: ${String(error)}`);
    }
  }

  private release(): void {
    clearTimeout(this.watchdog);
    for (const subscription of this.subscriptions.splice(0)) subscription.unsubscribe();
  }
}
