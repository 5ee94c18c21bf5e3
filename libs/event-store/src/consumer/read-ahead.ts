import type { RecordedEvent, SubscriptionMessage } from '../types';

export interface Batch {
  readonly events: RecordedEvent[];
  /** The subscription caught up right after these events. */
  readonly caughtUp: boolean;
  /** The subscription ended (unsubscribed); nothing follows. */
  readonly done: boolean;
}

/**
 * Reads a subscription ahead of its consumer into a bounded buffer: while one batch is
 * being written, the next ones are already being read, so reading and writing overlap
 * instead of taking turns. Batches are whatever is buffered, up to `maxBatch` events:
 * they grow under load (the buffer fills while a batch is written) and stay at one when
 * idle. The buffer holds at most `capacity` events; reading pauses while it is full.
 */
export class ReadAhead {
  private readonly buffer: SubscriptionMessage[] = [];
  private bufferedEvents = 0;
  private ended = false;
  private closed = false;
  private failure: { error: unknown } | undefined;
  private readonly messagesArrived = new Signal();
  private readonly spaceFreed = new Signal();
  private readonly reading: Promise<void>;

  constructor(
    messages: AsyncIterable<SubscriptionMessage>,
    private readonly maxBatch: number,
    private readonly capacity: number,
  ) {
    this.reading = this.read(messages);
  }

  /** The next batch: waits for one message, then takes what is buffered. Rethrows a failed read once the buffer is drained. */
  async next(): Promise<Batch> {
    while (this.buffer.length === 0 && !this.ended) await this.messagesArrived.wait();
    if (this.buffer.length === 0) {
      if (this.failure) throw this.failure.error;
      return { events: [], caughtUp: false, done: true };
    }
    return this.take();
  }

  /** Stops reading; resolves once the reader has let go of the subscription (unsubscribe it first, or it may wait for one more message). */
  async close(): Promise<void> {
    this.closed = true;
    this.spaceFreed.notify();
    await this.reading;
  }

  private async read(messages: AsyncIterable<SubscriptionMessage>): Promise<void> {
    try {
      for await (const message of messages) {
        if (this.closed) return;
        this.buffer.push(message);
        if (message.kind === 'event') this.bufferedEvents += 1;
        this.messagesArrived.notify();
        while (this.bufferedEvents >= this.capacity && !this.closed) await this.spaceFreed.wait();
        if (this.closed) return;
      }
    } catch (error) {
      this.failure = { error };
    } finally {
      this.ended = true;
      this.messagesArrived.notify();
    }
  }

  /** Up to `maxBatch` events from the front; a caughtUp marker closes the batch, so it is reported after the events before it. */
  private take(): Batch {
    let count = 0;
    let caughtUp = false;
    while (count < this.buffer.length && count < this.maxBatch) {
      if (this.buffer[count].kind === 'caughtUp') {
        caughtUp = true;
        break;
      }
      count += 1;
    }
    const taken = this.buffer.splice(0, caughtUp ? count + 1 : count);
    const events = taken.flatMap((message) => (message.kind === 'event' ? [message.event] : []));
    this.bufferedEvents -= events.length;
    this.spaceFreed.notify();
    return { events, caughtUp, done: false };
  }
}

/** Wakes everyone waiting at the time of `notify`. */
class Signal {
  private waiters: Array<() => void> = [];

  wait(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  notify(): void {
    for (const resolve of this.waiters.splice(0)) resolve();
  }
}
