import { Client, type ClientConfig } from 'pg';
import { delay } from '../backoff';

export const EVENTS_CHANNEL = 'es_events';
const NOTIFY_INTERVAL_MS = 5;

/**
 * One connection per store that LISTENs for every subscription in the process and
 * NOTIFYs after this process's appends commit. A NOTIFY inside the append would hold
 * PostgreSQL's global notify lock through the commit's WAL flush and serialise all
 * appends; sent afterwards, coalesced, on a session with synchronous_commit off, it
 * costs writers nothing and still wakes other processes within a round trip. Local
 * subscriptions are woken at once. If the connection drops it reconnects with
 * backoff and wakes everyone, because notifications sent while it was down are lost.
 */
export class PgNotifier {
  private readonly listeners = new Set<() => void>();
  private client: Client | undefined;
  private starting: Promise<void> | undefined;
  private closed = false;
  private sending = false;
  private sendAgain = false;

  constructor(private readonly config: ClientConfig) {}

  /** Registers `onWake`; resolves once LISTEN is active so no commit after it is missed. */
  async listen(onWake: () => void): Promise<() => void> {
    this.listeners.add(onWake);
    await this.ensureConnected();
    return () => this.listeners.delete(onWake);
  }

  /** Call after an append has committed. */
  committed(): void {
    this.wakeAll();
    if (this.sending) {
      this.sendAgain = true;
      return;
    }
    this.sending = true;
    void this.sendNotifications();
  }

  private async sendNotifications(): Promise<void> {
    try {
      do {
        this.sendAgain = false;
        await this.ensureConnected();
        await this.client?.query(`notify ${EVENTS_CHANNEL}`);
        // At most one NOTIFY per interval under load: each is a transaction of its own,
        // and subscribers in other processes tolerate a few milliseconds more.
        if (this.sendAgain) await delay(NOTIFY_INTERVAL_MS);
      } while (this.sendAgain && !this.closed);
    } catch {
      // The connection dropped: on reconnect every listener re-reads anyway.
    } finally {
      this.sending = false;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private ensureConnected(): Promise<void> {
    if (this.client) return Promise.resolve();
    this.starting ??= this.connectWithRetry().finally(() => (this.starting = undefined));
    return this.starting;
  }

  private async connectWithRetry(): Promise<void> {
    for (let attempt = 0; !this.closed; attempt++) {
      const client = new Client(this.config);
      try {
        client.on('notification', () => this.wakeAll());
        client.on('error', () => this.onLost(client));
        client.on('end', () => this.onLost(client));
        await client.connect();
        await client.query(`set synchronous_commit = off`);
        await client.query(`listen ${EVENTS_CHANNEL}`);
        if (this.closed) {
          await client.end();
          return;
        }
        this.client = client;
        this.wakeAll();
        return;
      } catch {
        client.removeAllListeners();
        await client.end().catch(() => undefined);
        await delay(Math.min(5_000, 100 * 2 ** attempt));
      }
    }
  }

  private onLost(client: Client): void {
    if (this.client !== client) return;
    this.client = undefined;
    client.removeAllListeners();
    client.on('error', () => undefined);
    client.end().catch(() => undefined);
    if (!this.closed) void this.ensureConnected();
  }

  private wakeAll(): void {
    for (const listener of this.listeners) listener();
  }
}

/**
 * A latch a subscription waits on between fetches. A wake that lands while the
 * subscription is busy fetching is remembered, so the next wait returns at once.
 */
export class Waker {
  private pending = false;
  private resolve: (() => void) | undefined;

  readonly wake = (): void => {
    this.pending = true;
    this.resolve?.();
  };

  /** Forget earlier wakes: call right before fetching. */
  clear(): void {
    this.pending = false;
  }

  async wait(timeoutMs: number, signal: AbortSignal): Promise<void> {
    if (this.pending || signal.aborted) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.resolve = undefined;
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      signal.addEventListener('abort', done, { once: true });
      this.resolve = done;
    });
  }
}
