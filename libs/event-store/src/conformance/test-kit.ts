import { randomUUID } from 'node:crypto';
import { streamName } from '../stream-name';
import type { EventData, RecordedEvent, Subscription } from '../types';
export { collect } from '../collect';

/** A fresh category per test keeps parallel tests (and earlier runs) out of each other's filters. */
export function newCategory(): string {
  return `t${randomUUID().replace(/-/g, '')}`;
}

export function newStream(category = newCategory()): string {
  return streamName(category, randomUUID());
}

export function someEvents(count: number, type = 'SomethingHappened', from = 0): EventData[] {
  return Array.from({ length: count }, (_, i) => ({
    id: randomUUID(),
    type,
    data: { n: from + i },
    metadata: { tenantId: 'tenant-1', actor: 'tester' },
  }));
}

export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('Expected a rejection');
}

export async function eventually<T>(
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Drains a subscription in the background and records what it delivered. */
export class SubscriptionRecorder {
  readonly events: RecordedEvent[] = [];
  caughtUp = 0;
  error: unknown;
  private readonly done: Promise<void>;

  constructor(private readonly subscription: Subscription) {
    this.done = (async () => {
      try {
        for await (const message of subscription) {
          if (message.kind === 'event') this.events.push(message.event);
          else this.caughtUp += 1;
        }
      } catch (error) {
        this.error = error;
      }
    })();
  }

  ids(): string[] {
    return this.events.map((event) => event.id);
  }

  async waitForCount(count: number, timeoutMs = 10_000): Promise<RecordedEvent[]> {
    await eventually(() => {
      if (this.error) throw this.error;
      return this.events.length >= count || undefined;
    }, timeoutMs);
    return this.events;
  }

  async waitForCaughtUp(timeoutMs = 10_000): Promise<void> {
    await eventually(() => {
      if (this.error) throw this.error;
      return this.caughtUp > 0 || undefined;
    }, timeoutMs);
  }

  async stop(): Promise<void> {
    await this.subscription.unsubscribe();
    await this.done;
  }
}
