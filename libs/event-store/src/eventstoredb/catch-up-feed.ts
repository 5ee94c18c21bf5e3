import type { CatchupSubscription, ReadableSubscription } from '@eventstore/db-client';

/** The shape `subscribeToAll` / `subscribeToStream` return in @eventstore/db-client 6.x. */
export type ClientCatchUpSubscription<E> = ReadableSubscription<E> & CatchupSubscription;

export type FeedItem<E> = { readonly kind: 'event'; readonly resolved: E } | { readonly kind: 'caughtUp' };

type PendingRead<E> =
  | { readonly state: 'waiting' }
  | { readonly state: 'read'; readonly result: IteratorResult<E> }
  | { readonly state: 'failed'; readonly error: unknown };

/**
 * Pulls a client catch-up subscription one event at a time and interleaves its
 * side-band 'caughtUp' signal at the place in the event sequence where it happened.
 *
 * Why not a plain `for await`: 'caughtUp' is an EventEmitter event, not a chunk, and it
 * typically fires when no further event is coming, so a loop blocked in `next()` would
 * never see it. Why not `Promise.race` against `next()`: racing the same long-lived
 * promises on every event piles reactions onto them for the subscription's lifetime.
 *
 * Ordering: when 'caughtUp' fires, every event the server sent before it has already been
 * pushed through the client's Transform, so it is either consumed here (`received`) or
 * still in the readable buffer (`readableLength`, which counts objects in object mode).
 * The signal is released once exactly that many events have been yielded.
 *
 * Back-pressure: only one `next()` is in flight, and it is started only after the caller
 * has taken the previous item, so the client's buffer and the gRPC flow control fill up
 * behind a slow consumer instead of our memory.
 *
 * Ends quietly when `signal` aborts or the client ends the stream; rethrows the client's
 * errors. Always cancels the gRPC call on the way out.
 *
 * Listeners are attached when iteration starts, so iterate it in the same tick the client
 * subscription is created: before that the client has done no I/O and emitted nothing.
 */
export async function* catchUpFeed<E>(
  subscription: ClientCatchUpSubscription<E>,
  signal: AbortSignal,
): AsyncGenerator<FeedItem<E>> {
  let received = 0;
  const caughtUpAfter: number[] = [];
  let wake: (() => void) | undefined;
  const nudge = () => wake?.();
  const onCaughtUp = () => {
    caughtUpAfter.push(received + subscription.readableLength);
    nudge();
  };
  subscription.on('caughtUp', onCaughtUp);
  signal.addEventListener('abort', nudge);
  const iterator = subscription[Symbol.asyncIterator]();
  let pending: { current: PendingRead<E> } | undefined;
  try {
    while (!signal.aborted) {
      if (caughtUpAfter.length > 0 && caughtUpAfter[0] <= received) {
        caughtUpAfter.shift();
        yield { kind: 'caughtUp' };
        continue;
      }
      pending ??= startRead(iterator, nudge);
      const read = pending.current;
      if (read.state === 'waiting') {
        // Checked and armed in one synchronous step, so no nudge can slip in between.
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
        continue;
      }
      pending = undefined;
      if (read.state === 'failed') throw read.error;
      if (read.result.done) return;
      received += 1;
      yield { kind: 'event', resolved: read.result.value };
    }
  } finally {
    subscription.removeListener('caughtUp', onCaughtUp);
    signal.removeEventListener('abort', nudge);
    await release(subscription);
  }
}

/** Starts one `next()` and records its outcome, so nothing is left unhandled if we stop waiting for it. */
function startRead<E>(iterator: AsyncIterator<E>, onSettled: () => void): { current: PendingRead<E> } {
  const pending: { current: PendingRead<E> } = { current: { state: 'waiting' } };
  iterator.next().then(
    (result) => {
      pending.current = { state: 'read', result };
      onSettled();
    },
    (error: unknown) => {
      pending.current = { state: 'failed', error };
      onSettled();
    },
  );
  return pending;
}

/**
 * `unsubscribe()` cancels the gRPC call but the client swallows the resulting
 * client-cancellation error and never ends its Transform, so destroy it as well to
 * settle any read still in flight. `unsubscribe()` rejects if the call never started;
 * there is nothing left to cancel then.
 */
async function release<E>(subscription: ClientCatchUpSubscription<E>): Promise<void> {
  // The client re-emits gRPC errors with a bare `emit('error')`; one arriving after we
  // have let go would otherwise be an uncaught exception.
  subscription.on('error', () => undefined);
  await subscription.unsubscribe().catch(() => undefined);
  subscription.destroy();
}
