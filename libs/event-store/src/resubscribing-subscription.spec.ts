import { ResubscribingSubscription } from './resubscribing-subscription';
import type { RecordedEvent, SubscriptionMessage } from './types';

function recorded(revision: bigint): RecordedEvent {
  return {
    streamId: 's-1',
    revision,
    id: `id-${revision}`,
    type: 'T',
    data: {},
    metadata: undefined,
    position: { commit: revision, prepare: revision },
    created: new Date(0),
  };
}

class ConnectionLost extends Error {}

describe('ResubscribingSubscription', () => {
  it('reopens after a transient failure from the last delivered event', async () => {
    const opens: bigint[] = [];
    const subscription = new ResubscribingSubscription<bigint>({
      from: -1n,
      initialBackoffMs: 1,
      cursorOf: (event) => event.revision,
      isTransient: (error) => error instanceof ConnectionLost,
      open: async function* (from): AsyncIterable<SubscriptionMessage> {
        opens.push(from);
        for (let revision = from + 1n; revision < 5n; revision++) {
          if (opens.length === 1 && revision === 2n) throw new ConnectionLost();
          yield { kind: 'event', event: recorded(revision) };
        }
      },
    });
    const seen: bigint[] = [];
    for await (const message of subscription) if (message.kind === 'event') seen.push(message.event.revision);
    expect(opens).toEqual([-1n, 1n]);
    expect(seen).toEqual([0n, 1n, 2n, 3n, 4n]);
  });

  it('ends with the error when the failure is not transient', async () => {
    const subscription = new ResubscribingSubscription<bigint>({
      from: -1n,
      cursorOf: (event) => event.revision,
      isTransient: () => false,
      open: async function* (): AsyncIterable<SubscriptionMessage> {
        yield { kind: 'caughtUp' };
        throw new Error('bad query');
      },
    });
    const iterator = subscription[Symbol.asyncIterator]();
    await iterator.next();
    await expect(iterator.next()).rejects.toThrow('bad query');
  });

  it('stops promptly on unsubscribe while waiting to reconnect', async () => {
    const subscription = new ResubscribingSubscription<bigint>({
      from: -1n,
      initialBackoffMs: 60_000,
      cursorOf: (event) => event.revision,
      isTransient: () => true,
      // eslint-disable-next-line require-yield
      open: async function* (): AsyncIterable<SubscriptionMessage> {
        throw new ConnectionLost();
      },
    });
    const iterator = subscription[Symbol.asyncIterator]();
    const next = iterator.next();
    setTimeout(() => void subscription.unsubscribe(), 10);
    await expect(next).resolves.toEqual({ done: true, value: undefined });
  });
});
