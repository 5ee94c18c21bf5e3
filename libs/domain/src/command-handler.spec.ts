import { randomUUID } from 'node:crypto';
import { CaasError } from '@caas/contracts';
import { PostgresEventStore, collect } from '@caas/event-store';
import { commandEventId, handleCommand } from './command-handler';
import type { Decider } from './decider';

type CounterEvent = { type: 'Incremented'; data: { by: number } };
type Increment = { by: number; max: number };

const counter: Decider<Increment, CounterEvent, number> = {
  initialState: () => 0,
  evolve: (state, event) => state + event.data.by,
  decide: (command, state) => {
    if (state + command.by > command.max) throw new CaasError('conflict', `would exceed ${command.max}`);
    return [{ type: 'Incremented', data: { by: command.by } }];
  },
};

const context = {
  tenantId: 'tenant-1',
  actor: { type: 'user' as const, id: 'user-1' },
  correlationId: randomUUID(),
  causationId: randomUUID(),
};

describe('handleCommand (real PostgreSQL event store)', () => {
  let store: PostgresEventStore;
  beforeAll(async () => {
    store = await PostgresEventStore.connect({ connectionString: process.env.TEST_DATABASE_URL! });
  });
  afterAll(() => store.close());

  it('appends the decided events with the metadata, starting a new stream', async () => {
    const stream = `counter-${randomUUID()}`;
    const result = await handleCommand(store, counter, stream, { by: 2, max: 10 }, context);
    expect(result.state).toBe(2);
    expect(result.nextExpectedRevision).toBe(0n);
    const [event] = await collect(store.readStream(stream));
    expect(event.metadata).toEqual({ ...context, schemaVersion: 1 });
    expect(result.replayed).toBe(false);
  });

  it('re-decides on a revision conflict, so concurrent commands never break the rule', async () => {
    const stream = `counter-${randomUUID()}`;
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, () => handleCommand(store, counter, stream, { by: 1, max: 5 }, context, 20)),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(refused.map((r) => (r.reason as CaasError).code)).toEqual(['conflict', 'conflict', 'conflict']);
    expect(await collect(store.readStream(stream))).toHaveLength(5);
  });

  describe('with a commandId (every attempt at one request carries the same)', () => {
    it('answers a retry with the events the first attempt recorded, instead of deciding again', async () => {
      const stream = `counter-${randomUUID()}`;
      const retried = { ...context, commandId: randomUUID() };
      const first = await handleCommand(store, counter, stream, { by: 3, max: 5 }, retried);
      expect(first).toMatchObject({ replayed: false, state: 3, nextExpectedRevision: 0n });
      await handleCommand(store, counter, stream, { by: 1, max: 5 }, context); // someone else's, in between

      // Decided again, the retry would be refused (3 + 1 + 3 > 5); it finds its events instead.
      const retry = await handleCommand(store, counter, stream, { by: 3, max: 5 }, retried);
      expect(retry).toEqual({
        events: [{ type: 'Incremented', data: { by: 3 } }],
        state: 4,
        nextExpectedRevision: 1n,
        replayed: true,
      });
      const recorded = await collect(store.readStream(stream));
      expect(recorded.map((event) => event.data)).toEqual([{ by: 3 }, { by: 1 }]);
      expect(recorded[0].id).toBe(commandEventId(retried.commandId, stream, 0));
      // The command id is for recognising the command, not part of the audit metadata.
      expect(recorded[0].metadata).toEqual({ ...context, schemaVersion: 1 });
    });

    it('runs concurrent attempts of one command once', async () => {
      const stream = `counter-${randomUUID()}`;
      const retried = { ...context, commandId: randomUUID() };
      const results = await Promise.all(
        Array.from({ length: 4 }, () => handleCommand(store, counter, stream, { by: 2, max: 10 }, retried, 20)),
      );
      // Racing appends of the same event ids at the same revision are one append to the store.
      for (const result of results) expect(result).toMatchObject({ state: 2, nextExpectedRevision: 0n });
      expect(await collect(store.readStream(stream))).toHaveLength(1);
    });

    it('tells commands apart by their id: another command id is decided afresh', async () => {
      const stream = `counter-${randomUUID()}`;
      await handleCommand(store, counter, stream, { by: 1, max: 10 }, { ...context, commandId: 'a' });
      const other = await handleCommand(store, counter, stream, { by: 1, max: 10 }, { ...context, commandId: 'b' });
      expect(other).toMatchObject({ replayed: false, state: 2 });
    });
  });
});
