import { randomUUID } from 'node:crypto';
import { Pool, type PoolClient } from 'pg';
import { PostgresEventStore } from '../postgres/postgres-event-store';
import { streamName } from '../stream-name';
import type { RecordedEvent } from '../types';
import { CheckpointedConsumer } from './checkpointed-consumer';
import { PgCheckpointStore } from './pg-checkpoint-store';

const url = process.env.TEST_DATABASE_URL;
if (!url) throw new Error('TEST_DATABASE_URL is not set: start the infrastructure with `npm run infra:up`');

/*
 * The batch handler on a real PostgreSQL: each call gets one batch, in order, in the
 * transaction that moves the checkpoint. A fresh category, table and consumer name per
 * test keeps runs apart.
 */
describe('CheckpointedConsumer with handleBatch (real PostgreSQL)', () => {
  let store: PostgresEventStore;
  let pool: Pool;
  let checkpoints: PgCheckpointStore;
  const consumers: Array<CheckpointedConsumer<PoolClient>> = [];
  const tables: string[] = [];
  const names: string[] = [];

  beforeAll(async () => {
    store = await PostgresEventStore.connect({ connectionString: url });
    pool = new Pool({ connectionString: url, max: 4 });
    checkpoints = await PgCheckpointStore.create(pool);
    await pool.query('create schema if not exists consumer_test');
  });
  afterEach(async () => {
    await Promise.all(consumers.splice(0).map((consumer) => consumer.stop()));
    for (const table of tables.splice(0)) await pool.query(`drop table if exists ${table}`);
    await pool.query('delete from consumers.checkpoints where consumer = any($1)', [names.splice(0)]);
  });
  afterAll(async () => {
    await pool?.end();
    await store?.close();
  });

  async function fixture() {
    const category = `cc${randomUUID().replace(/-/g, '')}`;
    const table = `consumer_test.${category}`;
    tables.push(table);
    names.push(`test-${category}`);
    // `seq` records the order the rows were written in: the order the handler saw.
    await pool.query(`create table ${table} (seq serial, event_id uuid primary key, n int not null)`);
    return { category, table, name: `test-${category}` };
  }

  /** Writes a batch in one multi-row statement, as a batch read model does; fails `failures.remaining` times after writing. */
  const insertBatch =
    (table: string, batches: number[], failures = { remaining: 0 }) =>
    async (events: RecordedEvent[], tx: PoolClient): Promise<void> => {
      batches.push(events.length);
      await tx.query(`insert into ${table} (event_id, n) select * from unnest($1::uuid[], $2::int[])`, [
        events.map((event) => event.id),
        events.map((event) => (event.data as { n: number }).n),
      ]);
      if (failures.remaining-- > 0) throw new Error('simulated failure after writing');
    };

  function start(name: string, category: string, handleBatch: ReturnType<typeof insertBatch>, maxBatch?: number) {
    const consumer = new CheckpointedConsumer(store, checkpoints, {
      name,
      filter: { categories: [category] },
      handleBatch,
      maxBatch,
      retryDelayMs: 10,
    });
    consumers.push(consumer);
    consumer.start();
    return consumer;
  }

  /** `count` events numbered from `first`, over two streams appended in turn. */
  async function append(category: string, first: number, count: number) {
    const streams = [streamName(category, 'a'), streamName(category, 'b')];
    for (let n = first; n < first + count; n += 5) {
      const events = Array.from({ length: Math.min(5, first + count - n) }, (_, i) => ({
        id: randomUUID(),
        type: 'Numbered',
        data: { n: n + i },
      }));
      await store.appendToStream(streams[(n / 5) % 2], events);
    }
  }

  const numbers = async (table: string) =>
    ((await pool.query(`select n from ${table} order by seq`)).rows as Array<{ n: number }>).map((row) => row.n);
  const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

  it('gives the handler whole batches, in $all order, at most maxBatch at a time', async () => {
    const { category, table, name } = await fixture();
    await append(category, 0, 100);
    const batches: number[] = [];
    await start(name, category, insertBatch(table, batches), 30).caughtUp();

    expect(await numbers(table)).toEqual(range(0, 100));
    expect(Math.max(...batches)).toBeLessThanOrEqual(30);
    expect(batches.length).toBeLessThan(100);
  });

  it('rolls a failed batch back with its checkpoint and applies it again, exactly once', async () => {
    const { category, table, name } = await fixture();
    await append(category, 0, 40);
    const failures = { remaining: 2 };
    await start(name, category, insertBatch(table, [], failures)).caughtUp();

    expect(failures.remaining).toBeLessThan(0);
    // A row written twice would have hit the primary key; none is missing either.
    expect(await numbers(table)).toEqual(range(0, 40));
    const { rows } = await pool.query(
      'select commit_position::text as commit, prepare_position::text as prepare from consumers.checkpoints where consumer = $1',
      [name],
    );
    const last = (await collectLast(category)).position;
    expect(rows[0]).toEqual({ commit: last.commit.toString(), prepare: last.prepare.toString() });
  });

  it('resumes after the last committed batch when restarted', async () => {
    const { category, table, name } = await fixture();
    await append(category, 0, 25);
    const first = start(name, category, insertBatch(table, []), 10);
    await first.caughtUp();
    await first.stop();

    await append(category, 25, 15);
    await start(name, category, insertBatch(table, []), 10).caughtUp();
    expect(await numbers(table)).toEqual(range(0, 40));
  });

  it('keeps up with live appends after catching up', async () => {
    const { category, table, name } = await fixture();
    await start(name, category, insertBatch(table, [])).caughtUp();
    await append(category, 0, 20);
    await eventuallyEqual(() => numbers(table), range(0, 20));
  });

  it('takes exactly one of handle and handleBatch', () => {
    const both = { name: 'x', handle: async () => undefined, handleBatch: async () => undefined };
    expect(() => new CheckpointedConsumer(store, checkpoints, both as never)).toThrow(/exactly one/);
    expect(() => new CheckpointedConsumer(store, checkpoints, { name: 'x' } as never)).toThrow(/exactly one/);
  });

  async function collectLast(category: string): Promise<RecordedEvent> {
    let last: RecordedEvent | undefined;
    for await (const event of store.readAll({ filter: { categories: [category] } })) last = event;
    return last!;
  }
});

async function eventuallyEqual<T>(read: () => Promise<T>, expected: T, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const actual = await read();
    if (JSON.stringify(actual) === JSON.stringify(expected) || Date.now() > deadline) {
      expect(actual).toEqual(expected);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
