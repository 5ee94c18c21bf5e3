import { randomUUID } from 'node:crypto';
import { type EventStore, PostgresEventStore, type RecordedEvent, streamName } from '@caas/event-store';
import { DataSource, type EntityManager } from 'typeorm';
import { ReadModelConsumer, ReadModelLagError } from './read-model-consumer';

const url = process.env.TEST_DATABASE_URL;
if (!url) throw new Error('TEST_DATABASE_URL is not set: start the infrastructure with `npm run infra:up`');

/** A fresh category and table per test keeps earlier runs and parallel tests apart. */
function fixture() {
  const category = `rm${randomUUID().replace(/-/g, '')}`;
  return { category, table: `read_model_test.${category}`, name: `test-${category}` };
}

const countInto =
  (table: string, failFirst = { remaining: 0 }) =>
  async (event: RecordedEvent, manager: EntityManager): Promise<void> => {
    await manager.query(
      `insert into ${table} (event_id, times) values ($1, 1)
       on conflict (event_id) do update set times = ${table}.times + 1`,
      [event.id],
    );
    if (failFirst.remaining-- > 0) throw new Error('simulated failure after writing');
  };

describe('ReadModelConsumer (real PostgreSQL)', () => {
  let store: EventStore;
  let dataSource: DataSource;
  const consumers: ReadModelConsumer[] = [];
  const tables: string[] = [];
  const names: string[] = [];

  beforeAll(async () => {
    store = await PostgresEventStore.connect({ connectionString: url });
    dataSource = await new DataSource({ type: 'postgres', url }).initialize();
    await dataSource.query('create schema if not exists read_model_test');
  });
  afterEach(async () => {
    await Promise.all(consumers.splice(0).map((consumer) => consumer.stop()));
    for (const table of tables.splice(0)) await dataSource.query(`drop table if exists ${table}`);
    await dataSource.query('delete from consumers.checkpoints where consumer = any($1)', [names.splice(0)]);
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await store?.close();
  });

  async function createTable(table: string) {
    tables.push(table);
    await dataSource.query(`create table ${table} (event_id uuid primary key, times int not null)`);
  }

  async function start(name: string, category: string, handle: ReturnType<typeof countInto>, waitTimeoutMs?: number) {
    names.push(name);
    const consumer = await ReadModelConsumer.start(store, dataSource, {
      name,
      filter: { categories: [category] },
      handle,
      retryDelayMs: 10,
      waitTimeoutMs,
    });
    consumers.push(consumer);
    return consumer;
  }

  const append = (category: string, count = 1) =>
    store.appendToStream(
      streamName(category, randomUUID()),
      Array.from({ length: count }, () => ({ id: randomUUID(), type: 'Counted', data: {} })),
    );

  const applications = async (table: string) =>
    (await dataSource.query(`select count(*)::int as events, coalesce(sum(times), 0)::int as times from ${table}`))[0];

  it('waitFor resolves once the appended events are in the read model (read-your-writes)', async () => {
    const { category, table, name } = fixture();
    await createTable(table);
    const consumer = await start(name, category, countInto(table));
    await consumer.caughtUp();

    const { position } = await append(category, 3);
    await consumer.waitFor(position);
    expect(await applications(table)).toEqual({ events: 3, times: 3 });
  });

  it('a failed batch rolls back with its checkpoint and is applied again exactly once', async () => {
    const { category, table, name } = fixture();
    await createTable(table);
    const consumer = await start(name, category, countInto(table, { remaining: 2 }));

    const { position } = await append(category, 2);
    await consumer.waitFor(position);
    expect(await applications(table)).toEqual({ events: 2, times: 2 });
    const [row] = await dataSource.query(
      'select commit_position::text as commit, prepare_position::text as prepare from consumers.checkpoints where consumer = $1',
      [name],
    );
    expect(row).toEqual({ commit: position.commit.toString(), prepare: position.prepare.toString() });
  });

  it('two instances sharing one checkpoint apply each event once, and both see every write', async () => {
    const { category, table, name } = fixture();
    await createTable(table);
    const [a, b] = [await start(name, category, countInto(table)), await start(name, category, countInto(table))];

    const results = await Promise.all(Array.from({ length: 20 }, () => append(category)));
    await Promise.all(results.flatMap(({ position }) => [a.waitFor(position), b.waitFor(position)]));
    expect(await applications(table)).toEqual({ events: 20, times: 20 });
  });

  it('a restarted read model continues from its checkpoint', async () => {
    const { category, table, name } = fixture();
    await createTable(table);
    const first = await start(name, category, countInto(table));
    await first.waitFor((await append(category, 2)).position);
    await first.stop();

    await append(category, 1);
    const second = await start(name, category, countInto(table));
    await second.caughtUp();
    expect(await applications(table)).toEqual({ events: 3, times: 3 });
  });

  it('waitFor rejects with ReadModelLagError when the position is never reached', async () => {
    const { category, table, name } = fixture();
    await createTable(table);
    const consumer = await start(name, category, countInto(table), 200);
    // An event of another category: this read model never sees it.
    const { position } = await append(`${category}x`);
    await expect(consumer.waitFor(position)).rejects.toBeInstanceOf(ReadModelLagError);
  });
});
