import { randomUUID } from 'node:crypto';
import { CaasError } from '@caas/contracts';
import { PostgresEventStore, collect } from '@caas/event-store';
import { handleCommand } from './command-handler';
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
});
