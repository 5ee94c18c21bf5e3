import { Transform, type TransformCallback } from 'node:stream';
import { catchUpFeed, type ClientCatchUpSubscription, type FeedItem } from './catch-up-feed';

const CAUGHT_UP = Symbol('caughtUp');

/**
 * Mimics the client's `Subscription` (dist/streams/utils/Subscription.js in 6.2.1): an
 * object-mode Transform fed by the gRPC stream that pushes events and emits 'caughtUp'
 * from inside `_transform` when that response arrives. It is a stand-in, not the real
 * class, whose constructor needs a live gRPC call.
 */
class FakeSubscription extends Transform {
  readonly unsubscribe = jest.fn(async () => undefined);

  constructor() {
    super({ objectMode: true });
  }

  override _transform(response: string | typeof CAUGHT_UP, _encoding: string, next: TransformCallback): void {
    if (response === CAUGHT_UP) {
      this.emit('caughtUp');
      return next();
    }
    next(null, response);
  }

  /** The generic ReadableSubscription/CatchupSubscription overloads cannot be declared on a subclass; the runtime shape matches. */
  asClient(): ClientCatchUpSubscription<string> {
    return this as unknown as ClientCatchUpSubscription<string>;
  }
}

const describeItem = (item: FeedItem<string>) => (item.kind === 'event' ? item.resolved : 'caughtUp');

async function take(feed: AsyncGenerator<FeedItem<string>>, count: number): Promise<string[]> {
  const items: string[] = [];
  while (items.length < count) {
    const next = await feed.next();
    if (next.done) break;
    items.push(describeItem(next.value));
  }
  return items;
}

describe('catchUpFeed', () => {
  it('delivers caughtUp after the events the server sent before it, even when they are still buffered', async () => {
    const subscription = new FakeSubscription();
    const feed = catchUpFeed(subscription.asClient(), new AbortController().signal);
    // Started before the responses arrive, as in production where the feed is iterated
    // in the same tick the client subscription is created.
    const items = take(feed, 4);
    for (const response of ['e1', 'e2', CAUGHT_UP, 'e3'] as const) subscription.write(response);

    expect(await items).toEqual(['e1', 'e2', 'caughtUp', 'e3']);
    await feed.return(undefined);
  });

  it('delivers caughtUp while no further event is coming', async () => {
    const subscription = new FakeSubscription();
    const feed = catchUpFeed(subscription.asClient(), new AbortController().signal);
    subscription.write('e1');
    expect(await take(feed, 1)).toEqual(['e1']);

    const waiting = feed.next();
    setTimeout(() => subscription.write(CAUGHT_UP), 10);
    expect(describeItem((await waiting).value as FeedItem<string>)).toBe('caughtUp');
    await feed.return(undefined);
  });

  it('does not read ahead of its consumer', async () => {
    const subscription = new FakeSubscription();
    const feed = catchUpFeed(subscription.asClient(), new AbortController().signal);
    for (const event of ['e1', 'e2', 'e3', 'e4']) subscription.write(event);

    await take(feed, 1);
    expect(subscription.readableLength).toBe(3);
    await feed.return(undefined);
  });

  it('ends when the signal aborts and cancels the client subscription', async () => {
    const subscription = new FakeSubscription();
    const abort = new AbortController();
    const feed = catchUpFeed(subscription.asClient(), abort.signal);

    const waiting = feed.next();
    setTimeout(() => abort.abort(), 10);
    expect(await waiting).toEqual({ done: true, value: undefined });
    expect(subscription.unsubscribe).toHaveBeenCalledTimes(1);
    expect(subscription.destroyed).toBe(true);
  });

  it('rethrows the client’s error and cancels the subscription', async () => {
    const subscription = new FakeSubscription();
    const feed = catchUpFeed(subscription.asClient(), new AbortController().signal);
    const failure = new Error('unavailable');

    const waiting = feed.next();
    setTimeout(() => subscription.destroy(failure), 10);
    await expect(waiting).rejects.toBe(failure);
    expect(subscription.unsubscribe).toHaveBeenCalledTimes(1);
  });

  it('ends when the client stream ends', async () => {
    const subscription = new FakeSubscription();
    const feed = catchUpFeed(subscription.asClient(), new AbortController().signal);
    subscription.end('e1');

    expect(await take(feed, 5)).toEqual(['e1']);
  });

  it('cancels the subscription when the consumer stops early', async () => {
    const subscription = new FakeSubscription();
    const feed = catchUpFeed(subscription.asClient(), new AbortController().signal);
    subscription.write('e1');

    for await (const item of feed) {
      expect(describeItem(item)).toBe('e1');
      break;
    }
    expect(subscription.unsubscribe).toHaveBeenCalledTimes(1);
  });
});
