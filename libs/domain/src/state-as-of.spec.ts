import { randomUUID } from 'node:crypto';
import { PostgresEventStore, collect } from '@caas/event-store';
import { handleCommand } from './command-handler';
import type { Decider } from './decider';
import { replayStateAsOf } from './state-as-of';

type NameEvent = { type: 'Named'; data: { name: string } };
type Rename = { kind: 'Rename'; name: string };

/** The whole history is in the state, so a replay that skips or reorders an event shows. */
const names: Decider<Rename, NameEvent, string[]> = {
  initialState: () => [],
  evolve: (state, event) => [...state, event.data.name],
  decide: (command) => [{ type: 'Named', data: { name: command.name } }],
};

const tenantId = randomUUID();
const context = {
  tenantId,
  actor: { type: 'user' as const, id: 'user-1' },
  correlationId: randomUUID(),
  causationId: randomUUID(),
};

/** Waits until PostgreSQL's clock has moved past `time`, so the next append is recorded after it. */
async function after(time: Date): Promise<void> {
  while (Date.now() <= time.getTime() + 1) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('replayStateAsOf (real PostgreSQL event store)', () => {
  let store: PostgresEventStore;
  beforeAll(async () => {
    store = await PostgresEventStore.connect({ connectionString: process.env.TEST_DATABASE_URL! });
  });
  afterAll(() => store.close());

  async function history(stream: string, ...renames: string[]) {
    for (const name of renames) {
      await handleCommand(store, names, stream, { kind: 'Rename', name }, context);
      const [last] = await collect(
        store.readStream(stream, { direction: 'backwards', fromRevision: 'end', maxCount: 1 }),
      );
      await after(last.created);
    }
    return collect(store.readStream(stream));
  }

  it('folds exactly the events recorded at or before the time, and names the tenant and revision', async () => {
    const stream = `names-${randomUUID()}`;
    const [first, second, third] = await history(stream, 'Acme', 'Acme Inc', 'Acme Group');

    const atSecond = await replayStateAsOf(store, names, stream, second.created);
    expect(atSecond).toEqual({
      state: ['Acme', 'Acme Inc'],
      revision: 1n,
      changedAt: second.created,
      asOf: second.created,
      tenantId,
    });
    // Between two changes: the earlier one's state.
    const between = new Date(third.created.getTime() - 1);
    expect((await replayStateAsOf(store, names, stream, between))?.state).toEqual(['Acme', 'Acme Inc']);
    expect((await replayStateAsOf(store, names, stream, first.created))?.state).toEqual(['Acme']);
    expect((await replayStateAsOf(store, names, stream, new Date()))?.state).toEqual([
      'Acme',
      'Acme Inc',
      'Acme Group',
    ]);
  });

  it('is not found before the first event, and for a stream that does not exist', async () => {
    const stream = `names-${randomUUID()}`;
    const [first] = await history(stream, 'Acme');
    expect(await replayStateAsOf(store, names, stream, new Date(first.created.getTime() - 1))).toBeUndefined();
    expect(await replayStateAsOf(store, names, `names-${randomUUID()}`, new Date())).toBeUndefined();
  });

  it('gives null as the tenant of a platform-level stream', async () => {
    const stream = `names-${randomUUID()}`;
    await handleCommand(store, names, stream, { kind: 'Rename', name: 'root' }, { ...context, tenantId: null });
    expect(await replayStateAsOf(store, names, stream, new Date())).toMatchObject({ tenantId: null, state: ['root'] });
  });
});
