import { randomUUID } from 'node:crypto';
import { StreamDeletedError, StreamNotFoundError, WrongExpectedVersionError } from '../errors';
import type { EventStore } from '../event-store.port';
import { categoryOf } from '../stream-name';
import type { ExpectedRevision, EventData } from '../types';
import { runConsumerCrashScenario } from './consumer-crash.scenario';
import { SubscriptionRecorder, collect, newCategory, newStream, rejectionOf, someEvents } from './test-kit';

/** What an adapter's spec file supplies to run the shared suite against it. */
export interface ConformanceHarness {
  connect(): Promise<EventStore>;
  /**
   * Appends inside a transaction left open until `commit` is called, to prove a
   * subscriber never skips an event committed late by an older transaction.
   * Absent where the backend has no such transactions (EventStoreDB serialises writes).
   */
  beginHeldAppend?(stream: string, events: EventData[]): Promise<{ commit(): Promise<void> }>;
  /** Kills every backend connection of `store`, as a network failure would. */
  dropConnections?(store: EventStore): Promise<void>;
  /** Environment telling a child process how to reach this adapter. */
  readonly childEnv: Record<string, string>;
  /** PostgreSQL database for read models and checkpoints in consumer tests. */
  readonly readModelDatabaseUrl: string;
}

export function describeEventStoreConformance(adapter: string, harness: ConformanceHarness): void {
  describe(`EventStore conformance: ${adapter}`, () => {
    let store: EventStore;

    beforeAll(async () => {
      store = await harness.connect();
    });

    afterAll(async () => {
      await store?.close();
    });

    async function wrongVersion(stream: string, expectedRevision: ExpectedRevision) {
      const error = await rejectionOf(store.appendToStream(stream, someEvents(1), { expectedRevision }));
      expect(error).toBeInstanceOf(WrongExpectedVersionError);
      return error as WrongExpectedVersionError;
    }

    describe('appendToStream and readStream', () => {
      it('numbers revisions from 0 and reads them back in both directions, inclusive of fromRevision', async () => {
        const stream = newStream();
        const events = someEvents(5);
        const result = await store.appendToStream(stream, events, { expectedRevision: 'no_stream' });
        expect(result.nextExpectedRevision).toBe(4n);

        const forwards = await collect(store.readStream(stream));
        expect(forwards.map((e) => e.revision)).toEqual([0n, 1n, 2n, 3n, 4n]);
        expect(forwards.map((e) => e.id)).toEqual(events.map((e) => e.id));
        expect(forwards[0]).toMatchObject({ streamId: stream, type: 'SomethingHappened', data: { n: 0 } });
        expect(forwards[0].metadata).toEqual({ tenantId: 'tenant-1', actor: 'tester' });
        expect(forwards[4].position).toEqual(result.position);

        const fromTwo = await collect(store.readStream(stream, { fromRevision: 2n, maxCount: 2 }));
        expect(fromTwo.map((e) => e.revision)).toEqual([2n, 3n]);

        const backwards = await collect(store.readStream(stream, { direction: 'backwards', fromRevision: 'end' }));
        expect(backwards.map((e) => e.revision)).toEqual([4n, 3n, 2n, 1n, 0n]);

        const backFromThree = await collect(
          store.readStream(stream, { direction: 'backwards', fromRevision: 3n, maxCount: 2 }),
        );
        expect(backFromThree.map((e) => e.revision)).toEqual([3n, 2n]);
      });

      it('throws StreamNotFoundError when reading a stream that was never written', async () => {
        await expect(collect(store.readStream(newStream()))).rejects.toBeInstanceOf(StreamNotFoundError);
      });
    });

    describe('expected revision', () => {
      it("'no_stream' succeeds on a new stream and reports the actual revision otherwise", async () => {
        const stream = newStream();
        await store.appendToStream(stream, someEvents(2), { expectedRevision: 'no_stream' });
        const error = await wrongVersion(stream, 'no_stream');
        expect(error).toMatchObject({ streamName: stream, expectedRevision: 'no_stream', actualRevision: 1n });
      });

      it("'stream_exists' fails on a new stream with actual 'no_stream' and succeeds once it exists", async () => {
        const stream = newStream();
        const error = await wrongVersion(stream, 'stream_exists');
        expect(error).toMatchObject({
          streamName: stream,
          expectedRevision: 'stream_exists',
          actualRevision: 'no_stream',
        });
        await store.appendToStream(stream, someEvents(1));
        const result = await store.appendToStream(stream, someEvents(1), { expectedRevision: 'stream_exists' });
        expect(result.nextExpectedRevision).toBe(1n);
      });

      it('an exact revision succeeds when it matches and reports the actual revision when it does not', async () => {
        const stream = newStream();
        const missing = await wrongVersion(stream, 0n);
        expect(missing.actualRevision).toBe('no_stream');

        await store.appendToStream(stream, someEvents(3));
        const behind = await wrongVersion(stream, 1n);
        expect(behind).toMatchObject({ streamName: stream, expectedRevision: 1n, actualRevision: 2n });
        const ahead = await wrongVersion(stream, 7n);
        expect(ahead.actualRevision).toBe(2n);

        const result = await store.appendToStream(stream, someEvents(2), { expectedRevision: 2n });
        expect(result.nextExpectedRevision).toBe(4n);
      });

      it("'any' appends whatever the stream's state", async () => {
        const stream = newStream();
        expect(
          (await store.appendToStream(stream, someEvents(1), { expectedRevision: 'any' })).nextExpectedRevision,
        ).toBe(0n);
        expect(
          (await store.appendToStream(stream, someEvents(1), { expectedRevision: 'any' })).nextExpectedRevision,
        ).toBe(1n);
      });

      it('a failed append writes nothing', async () => {
        const stream = newStream();
        await store.appendToStream(stream, someEvents(1));
        await wrongVersion(stream, 5n);
        expect(await collect(store.readStream(stream))).toHaveLength(1);
      });
    });

    describe('concurrency', () => {
      it('20 concurrent appends expecting the same revision: exactly one wins, the others learn the actual revision', async () => {
        const stream = newStream();
        await store.appendToStream(stream, someEvents(1));
        const attempts = await Promise.allSettled(
          Array.from({ length: 20 }, () => store.appendToStream(stream, someEvents(1), { expectedRevision: 0n })),
        );
        const winners = attempts.filter((a) => a.status === 'fulfilled');
        const losers = attempts.filter((a): a is PromiseRejectedResult => a.status === 'rejected');
        expect(winners).toHaveLength(1);
        expect(losers).toHaveLength(19);
        for (const loser of losers) {
          expect(loser.reason).toBeInstanceOf(WrongExpectedVersionError);
          expect(loser.reason.actualRevision).toBe(1n);
        }
        expect(await collect(store.readStream(stream))).toHaveLength(2);
      });

      it('20 concurrent writers retrying on conflict: one winner per revision, every reported write readable', async () => {
        const stream = newStream();
        const writes = await Promise.all(
          Array.from({ length: 20 }, async (_, writer) => {
            const [event] = someEvents(1, 'Written', writer);
            for (;;) {
              const last = await collect(
                store.readStream(stream, { direction: 'backwards', fromRevision: 'end', maxCount: 1 }),
              ).catch((error) => (error instanceof StreamNotFoundError ? [] : Promise.reject(error)));
              const expectedRevision = last.length ? last[0].revision : 'no_stream';
              try {
                const result = await store.appendToStream(stream, [event], { expectedRevision });
                return { id: event.id, revision: result.nextExpectedRevision };
              } catch (error) {
                if (!(error instanceof WrongExpectedVersionError)) throw error;
              }
            }
          }),
        );
        const revisions = writes.map((w) => w.revision).sort((a, b) => (a < b ? -1 : 1));
        expect(revisions).toEqual(Array.from({ length: 20 }, (_, i) => BigInt(i)));
        const stored = await collect(store.readStream(stream));
        for (const write of writes) expect(stored[Number(write.revision)].id).toBe(write.id);
      });
    });

    describe('idempotent re-append', () => {
      it('re-appending committed events with the same expected revision succeeds and writes nothing', async () => {
        const stream = newStream();
        const events = someEvents(3);
        const first = await store.appendToStream(stream, events, { expectedRevision: 'no_stream' });
        const again = await store.appendToStream(stream, events, { expectedRevision: 'no_stream' });
        expect(again.nextExpectedRevision).toBe(first.nextExpectedRevision);

        const more = someEvents(2);
        await store.appendToStream(stream, more, { expectedRevision: 2n });
        const moreAgain = await store.appendToStream(stream, more, { expectedRevision: 2n });
        expect(moreAgain.nextExpectedRevision).toBe(4n);
        expect(await collect(store.readStream(stream))).toHaveLength(5);
      });

      it('identical appends racing each other all succeed and write the events once', async () => {
        const stream = newStream();
        await store.appendToStream(stream, someEvents(1));
        const events = someEvents(2);
        const results = await Promise.all(
          Array.from({ length: 10 }, () => store.appendToStream(stream, events, { expectedRevision: 'any' })),
        );
        expect(new Set(results.map((r) => r.nextExpectedRevision))).toEqual(new Set([2n]));
        const stored = await collect(store.readStream(stream));
        expect(stored.map((e) => e.id).slice(1)).toEqual(events.map((e) => e.id));
      });

      it('re-appending with expected revision any is also a no-op', async () => {
        const stream = newStream();
        const events = someEvents(2);
        await store.appendToStream(stream, events);
        await store.appendToStream(stream, events);
        expect(await collect(store.readStream(stream))).toHaveLength(2);
      });
    });

    describe('readAll', () => {
      it('returns events in one global order, forwards and backwards, filtered by category and event type', async () => {
        const category = newCategory();
        const a = newStream(category);
        const b = newStream(category);
        await store.appendToStream(a, someEvents(2, 'Created'));
        await store.appendToStream(b, someEvents(1, 'Created'));
        await store.appendToStream(a, someEvents(1, 'Renamed'));
        await store.appendToStream(newStream(), someEvents(1, 'Created'));

        const all = await collect(store.readAll({ filter: { categories: [category] } }));
        expect(all.map((e) => [e.streamId, e.revision])).toEqual([
          [a, 0n],
          [a, 1n],
          [b, 0n],
          [a, 2n],
        ]);
        const backwards = await collect(
          store.readAll({ direction: 'backwards', fromPosition: 'end', filter: { categories: [category] } }),
        );
        expect(backwards.map((e) => e.id)).toEqual([...all].reverse().map((e) => e.id));

        const renamed = await collect(store.readAll({ filter: { categories: [category], eventTypes: ['Renamed'] } }));
        expect(renamed.map((e) => e.id)).toEqual([all[3].id]);

        const fromThird = await collect(
          store.readAll({ fromPosition: all[2].position, maxCount: 2, filter: { categories: [category] } }),
        );
        expect(fromThird.map((e) => e.id)).toEqual([all[2].id, all[3].id]);
      });
    });

    describe('catch-up subscriptions', () => {
      it('to all: delivers history, signals caught up, then follows live appends in order', async () => {
        const category = newCategory();
        const stream = newStream(category);
        const history = someEvents(3);
        await store.appendToStream(stream, history);
        const recorder = new SubscriptionRecorder(
          store.subscribeToAll({ fromPosition: 'start', filter: { categories: [category] } }),
        );
        try {
          await recorder.waitForCaughtUp();
          expect(recorder.ids()).toEqual(history.map((e) => e.id));
          const live = someEvents(4);
          await store.appendToStream(stream, live.slice(0, 2));
          await store.appendToStream(newStream(category), live.slice(2));
          await recorder.waitForCount(7);
          expect(recorder.ids()).toEqual([...history, ...live].map((e) => e.id));
        } finally {
          await recorder.stop();
        }
      });

      it('to all: starts after the given position and filters by event type', async () => {
        const category = newCategory();
        const stream = newStream(category);
        const first = await store.appendToStream(stream, someEvents(2, 'Started'));
        const later = [...someEvents(1, 'Stopped'), ...someEvents(1, 'Started')];
        await store.appendToStream(stream, later);
        const recorder = new SubscriptionRecorder(
          store.subscribeToAll({
            fromPosition: first.position,
            filter: { categories: [category], eventTypes: ['Started'] },
          }),
        );
        try {
          await recorder.waitForCaughtUp();
          expect(recorder.ids()).toEqual([later[1].id]);
        } finally {
          await recorder.stop();
        }
      });

      it("to all from 'end': only what is appended afterwards", async () => {
        const category = newCategory();
        await store.appendToStream(newStream(category), someEvents(2));
        const recorder = new SubscriptionRecorder(
          store.subscribeToAll({ fromPosition: 'end', filter: { categories: [category] } }),
        );
        try {
          await recorder.waitForCaughtUp();
          const live = someEvents(1);
          await store.appendToStream(newStream(category), live);
          await recorder.waitForCount(1);
          expect(recorder.ids()).toEqual([live[0].id]);
        } finally {
          await recorder.stop();
        }
      });

      it('to one stream: starts after the given revision and follows it', async () => {
        const stream = newStream();
        const events = someEvents(4);
        await store.appendToStream(stream, events.slice(0, 3));
        await store.appendToStream(newStream(categoryOf(stream)), someEvents(1));
        const recorder = new SubscriptionRecorder(store.subscribeToStream(stream, { fromRevision: 1n }));
        try {
          await recorder.waitForCaughtUp();
          expect(recorder.events.map((e) => e.revision)).toEqual([2n]);
          await store.appendToStream(stream, events.slice(3));
          await recorder.waitForCount(2);
          expect(recorder.ids()).toEqual([events[2].id, events[3].id]);
        } finally {
          await recorder.stop();
        }
      });

      it('stops delivering after unsubscribe', async () => {
        const category = newCategory();
        const recorder = new SubscriptionRecorder(store.subscribeToAll({ filter: { categories: [category] } }));
        await recorder.waitForCaughtUp();
        await recorder.stop();
        await store.appendToStream(newStream(category), someEvents(1));
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(recorder.events).toHaveLength(0);
      });

      const heldAppend = harness.beginHeldAppend?.bind(harness);
      (heldAppend ? it : it.skip)(
        'an older transaction committing after newer ones is still delivered, in order, to a live subscriber',
        async () => {
          const category = newCategory();
          const recorder = new SubscriptionRecorder(store.subscribeToAll({ filter: { categories: [category] } }));
          try {
            await recorder.waitForCaughtUp();
            const older = someEvents(1, 'Older');
            const held = await heldAppend!(newStream(category), older);
            const newer = someEvents(3, 'Newer');
            for (const event of newer) await store.appendToStream(newStream(category), [event]);
            // The newer events are committed and readable by id, yet must wait behind the older transaction.
            await new Promise((resolve) => setTimeout(resolve, 300));
            expect(recorder.events).toHaveLength(0);
            await held.commit();
            await recorder.waitForCount(4);
            expect(recorder.ids()).toEqual([...older, ...newer].map((e) => e.id));
            const globalOrder = await collect(store.readAll({ filter: { categories: [category] } }));
            expect(globalOrder.map((e) => e.id)).toEqual(recorder.ids());
          } finally {
            await recorder.stop();
          }
        },
      );

      const drop = harness.dropConnections?.bind(harness);
      (drop ? it : it.skip)('resubscribes after a lost connection and continues from its last event', async () => {
        const category = newCategory();
        const isolated = await harness.connect();
        const recorder = new SubscriptionRecorder(isolated.subscribeToAll({ filter: { categories: [category] } }));
        try {
          const before = someEvents(3);
          await store.appendToStream(newStream(category), before);
          await recorder.waitForCount(3);
          await drop!(isolated);
          const after = someEvents(3);
          await store.appendToStream(newStream(category), after);
          await recorder.waitForCount(6, 20_000);
          await new Promise((resolve) => setTimeout(resolve, 200));
          expect(recorder.ids()).toEqual([...before, ...after].map((e) => e.id));
        } finally {
          await recorder.stop();
          await isolated.close();
        }
      });
    });

    describe('deletion', () => {
      it('soft delete: reads say not found, a later append continues the numbering', async () => {
        const stream = newStream();
        await store.appendToStream(stream, someEvents(2));
        await store.deleteStream(stream);
        await expect(collect(store.readStream(stream))).rejects.toBeInstanceOf(StreamNotFoundError);

        const next = someEvents(1);
        const result = await store.appendToStream(stream, next);
        expect(result.nextExpectedRevision).toBe(2n);
        const visible = await collect(store.readStream(stream));
        expect(visible.map((e) => [e.revision, e.id])).toEqual([[2n, next[0].id]]);
      });

      it('soft delete checks the expected revision', async () => {
        const stream = newStream();
        await store.appendToStream(stream, someEvents(2));
        const error = await rejectionOf(store.deleteStream(stream, { expectedRevision: 0n }));
        expect(error).toBeInstanceOf(WrongExpectedVersionError);
        expect((error as WrongExpectedVersionError).actualRevision).toBe(1n);
        expect(await collect(store.readStream(stream))).toHaveLength(2);
      });

      it('tombstone: permanent, every later read and append throws StreamDeletedError', async () => {
        const stream = newStream();
        await store.appendToStream(stream, someEvents(2));
        await store.tombstoneStream(stream, { expectedRevision: 1n });
        await expect(collect(store.readStream(stream))).rejects.toBeInstanceOf(StreamDeletedError);
        await expect(store.appendToStream(stream, someEvents(1))).rejects.toBeInstanceOf(StreamDeletedError);
        await expect(store.deleteStream(stream)).rejects.toBeInstanceOf(StreamDeletedError);
      });
    });

    describe('checkpointed consumer', () => {
      it('killed midway and restarted from its checkpoint, applies every event exactly once', async () => {
        await runConsumerCrashScenario({
          store,
          childEnv: harness.childEnv,
          readModelDatabaseUrl: harness.readModelDatabaseUrl,
        });
      }, 180_000);
    });

    it('rejects invalid appends before touching the backend', async () => {
      await expect(store.appendToStream(newStream(), [])).rejects.toThrow('at least one event');
      await expect(store.appendToStream(newStream(), [{ id: 'not-a-uuid', type: 'X', data: {} }])).rejects.toThrow(
        'events[0].id must be a UUID',
      );
      await expect(
        store.appendToStream(newStream(), [{ id: randomUUID(), type: '$system', data: {} }]),
      ).rejects.toThrow("must not start with '$'");
    });
  });
}
