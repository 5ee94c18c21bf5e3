/**
 * Event store benchmark (PostgreSQL adapter).
 *
 *   npm run bench:event-store
 *
 * Measures, on a dedicated `caas_bench` database of the local PostgreSQL:
 *   1. appends/s, one writer, one event per append (exact expected revision);
 *   2. events/s, 16 concurrent writers appending 10-event batches;
 *   3. subscription lag p50/p99 while 4 writers append 1,000 events/s;
 * and, in the same run and database, raw INSERT baselines for 1 and 2 into a plain
 * table with the same columns, printed as ratios.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Client, Pool } from 'pg';
import { PostgresEventStore, type EventData } from '@caas/event-store';

const SINGLE_APPENDS = Number(process.env.BENCH_SINGLE_APPENDS ?? 5_000);
const WRITERS = 16;
const BATCH = 10;
const BATCHES_PER_WRITER = Number(process.env.BENCH_BATCHES_PER_WRITER ?? 200);
const LAG_RATE = 1_000;
const LAG_SECONDS = Number(process.env.BENCH_LAG_SECONDS ?? 10);

async function main(): Promise<void> {
  const url = await benchDatabase();
  const pool = new Pool({ connectionString: url, max: WRITERS + 4 });
  const store = await PostgresEventStore.connect({
    connectionString: url,
    poolSize: WRITERS + 4,
    applicationName: 'bench',
  });
  await resetTables(pool);

  const rawSingle = await rawSingleInserts(pool, SINGLE_APPENDS);
  const single = await singleAppends(store, SINGLE_APPENDS);
  const rawBatched = await rawBatchedInserts(pool);
  const batched = await batchedAppends(store);
  const lag = await subscriptionLag(store);

  const rows = [
    ['single appends, 1 writer', single, rawSingle, 'appends/s', 2_000],
    [`${BATCH}-event batches, ${WRITERS} writers`, batched, rawBatched, 'events/s', 10_000],
  ] as const;
  console.log('\nEvent store benchmark (PostgreSQL adapter)\n');
  console.log('| workload | event store | raw INSERT baseline | ratio | target |');
  console.log('|---|---|---|---|---|');
  for (const [name, value, baseline, unit, target] of rows) {
    console.log(
      `| ${name} | ${fmt(value)} ${unit} | ${fmt(baseline)} ${unit} | ${(value / baseline).toFixed(2)} | ≥ ${fmt(target)} ${unit} ${value >= target ? '✓' : '✗'} |`,
    );
  }
  console.log(
    `| subscription lag at ${fmt(LAG_RATE)} events/s (${fmt(lag.samples)} events) | p50 ${lag.p50.toFixed(1)} ms, p99 ${lag.p99.toFixed(1)} ms, max ${lag.max.toFixed(1)} ms | – | – | p99 ≤ 50 ms ${lag.p99 <= 50 ? '✓' : '✗'} |`,
  );
  await store.close();
  await pool.end();
}

async function benchDatabase(): Promise<string> {
  const admin = process.env.DATABASE_URL;
  if (!admin) throw new Error('DATABASE_URL is not set (run infra/local/up.sh)');
  const client = new Client({ connectionString: admin });
  await client.connect();
  const exists = await client.query(`select 1 from pg_database where datname = 'caas_bench'`);
  if (exists.rowCount === 0) await client.query('create database caas_bench');
  await client.end();
  const url = new URL(admin);
  url.pathname = '/caas_bench';
  return url.toString();
}

async function resetTables(pool: Pool): Promise<void> {
  await pool.query('truncate es.events, es.streams');
  await pool.query(`create table if not exists bench_raw_events (
    id bigint generated always as identity primary key, stream_id text not null, revision bigint not null,
    event_id uuid not null, event_type text not null, data jsonb not null, metadata jsonb,
    created timestamptz not null default clock_timestamp())`);
  await pool.query('truncate bench_raw_events');
}

function event(n: number): EventData {
  return {
    id: randomUUID(),
    type: 'ContainerStarted',
    data: { containerId: randomUUID(), hostId: 'host-1', cpu: 0.5, memoryMb: 256, n },
    metadata: { tenantId: 'tenant-bench', actor: 'bench', correlationId: randomUUID(), causationId: randomUUID() },
  };
}

async function rawSingleInserts(pool: Pool, count: number): Promise<number> {
  const client = await pool.connect();
  try {
    const start = performance.now();
    for (let i = 0; i < count; i++) {
      const e = event(i);
      await client.query({
        name: 'raw-insert',
        text: 'insert into bench_raw_events (stream_id, revision, event_id, event_type, data, metadata) values ($1, $2, $3, $4, $5, $6)',
        values: [`raw-${i % 100}`, i, e.id, e.type, JSON.stringify(e.data), JSON.stringify(e.metadata)],
      });
    }
    return count / ((performance.now() - start) / 1000);
  } finally {
    client.release();
  }
}

async function singleAppends(store: PostgresEventStore, count: number): Promise<number> {
  const streams = Array.from({ length: 100 }, () => `benchsingle-${randomUUID()}`);
  const revisions = new Map<string, bigint | 'no_stream'>();
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const stream = streams[i % streams.length];
    const result = await store.appendToStream(stream, [event(i)], {
      expectedRevision: revisions.get(stream) ?? 'no_stream',
    });
    revisions.set(stream, result.nextExpectedRevision);
  }
  return count / ((performance.now() - start) / 1000);
}

async function rawBatchedInserts(pool: Pool): Promise<number> {
  const start = performance.now();
  await Promise.all(
    Array.from({ length: WRITERS }, async (_, writer) => {
      const client = await pool.connect();
      try {
        for (let b = 0; b < BATCHES_PER_WRITER; b++) {
          const values: unknown[] = [];
          const tuples: string[] = [];
          for (let i = 0; i < BATCH; i++) {
            const e = event(i);
            const p = values.length;
            tuples.push(`($${p + 1}, $${p + 2}, $${p + 3}, $${p + 4}, $${p + 5}, $${p + 6})`);
            values.push(
              `raw-${writer}-${b % 10}`,
              b * BATCH + i,
              e.id,
              e.type,
              JSON.stringify(e.data),
              JSON.stringify(e.metadata),
            );
          }
          await client.query({
            name: 'raw-batch',
            text: `insert into bench_raw_events (stream_id, revision, event_id, event_type, data, metadata) values ${tuples.join(', ')}`,
            values,
          });
        }
      } finally {
        client.release();
      }
    }),
  );
  return (WRITERS * BATCHES_PER_WRITER * BATCH) / ((performance.now() - start) / 1000);
}

async function batchedAppends(store: PostgresEventStore): Promise<number> {
  const start = performance.now();
  await Promise.all(
    Array.from({ length: WRITERS }, async () => {
      const streams = Array.from({ length: 10 }, () => `benchbatch-${randomUUID()}`);
      for (let b = 0; b < BATCHES_PER_WRITER; b++) {
        await store.appendToStream(
          streams[b % streams.length],
          Array.from({ length: BATCH }, (_, i) => event(i)),
        );
      }
    }),
  );
  return (WRITERS * BATCHES_PER_WRITER * BATCH) / ((performance.now() - start) / 1000);
}

/** Lag = delivery time minus the moment the append call was made (so it includes the append itself). */
async function subscriptionLag(store: PostgresEventStore) {
  const category = `benchlag${randomUUID().replace(/-/g, '')}`;
  const total = LAG_RATE * LAG_SECONDS;
  const lags: number[] = [];
  const subscription = store.subscribeToAll({ fromPosition: 'end', filter: { categories: [category] } });
  let caughtUp!: () => void;
  const ready = new Promise<void>((resolve) => (caughtUp = resolve));
  const received = (async () => {
    for await (const message of subscription) {
      if (message.kind === 'caughtUp') caughtUp();
      else {
        lags.push(performance.now() - (message.event.data as { sentAt: number }).sentAt);
        if (lags.length === total) return;
      }
    }
  })();
  await ready;

  // Four writers share the rate, as several service instances would.
  const start = performance.now();
  let sent = 0;
  const inFlight = new Set<Promise<unknown>>();
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * LAG_RATE));
    while (sent < due) {
      const n = sent++;
      const append = store
        .appendToStream(`${category}-${n % 4}`, [
          { id: randomUUID(), type: 'Tick', data: { sentAt: performance.now(), n } },
        ])
        .finally(() => inFlight.delete(append));
      inFlight.add(append);
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await Promise.all(inFlight);
  await received;
  await subscription.unsubscribe();
  lags.sort((a, b) => a - b);
  const pct = (p: number) => lags[Math.min(lags.length - 1, Math.floor((p / 100) * lags.length))];
  return { samples: lags.length, p50: pct(50), p99: pct(99), max: lags[lags.length - 1] };
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
