/**
 * Billing metering benchmark (issue 6, point 8): replaying a month of lifecycle events
 * into the hourly metering projection.
 *
 *   npm run bench:billing
 *   # = node -r @swc-node/register bench/billing/main.ts, with .local/env loaded
 *
 * Untimed setup: BENCH_FACTS (1,000,000) lifecycle facts of BENCH_TENANTS (400)
 * tenants over 31 days — starts, stops, deaths, removals, resizes, host failures, a few
 * late ends — generated from a fixed seed and turned into meter events by the real
 * meter decider (meterCommandsOf, CloseHour a grace after each hour), appended to a
 * fresh PostgreSQL event store in a scratch database (tenants' streams interleaved in
 * slices of SLICE events, as a month of live appends would interleave them).
 *
 * Timed, in the same process and database, each from the first meter event until
 * caught up:
 *   read      a plain subscription over the meter streams, no writes: the ceiling;
 *   batch     the metering read model (ReadModelConsumer, handleBatch = projectMeterBatch,
 *             fresh checkpoint name, BENCH_MAX_BATCH events per batch, default the consumer's);
 *   per-event the projection it replaced (one or two statements per event), over the
 *             first BENCH_BASELINE_EVENTS (100,000) meter events only: all of them would
 *             take minutes. Its rate is that prefix's.
 * Lifecycle events/s is the facts divided by the batch replay's time. The batch
 * replay's hourly rows are checked against hourlyUsage() of the generated streams.
 */
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { type EventData, type Position, PostgresEventStore } from '@caas/event-store';
import { ReadModelConsumer } from '@caas/read-model';
import { createScratchDatabase } from '@caas/testing';
import type { DataSource } from 'typeorm';
import { hourlyUsage } from '../../services/billing/src/metering/hourly-usage';
import { meterStream, type MeterEvent } from '../../services/billing/src/metering/meter.events';
import { projectMeterEventOneByOne } from '../../services/billing/src/metering/test-support/meter-event-one-by-one';
import { openBillingDatabase } from '../../services/billing/src/read-model/billing-database';
import { projectMeterBatch } from '../../services/billing/src/read-model/metering.read-model';
import { meteredMonth } from './lifecycle-month';

const FACTS = Number(process.env.BENCH_FACTS ?? 1_000_000);
const TENANTS = Number(process.env.BENCH_TENANTS ?? 400);
const MAX_BATCH = process.env.BENCH_MAX_BATCH ? Number(process.env.BENCH_MAX_BATCH) : undefined;
const BASELINE_EVENTS = Number(process.env.BENCH_BASELINE_EVENTS ?? 100_000);
const TARGET = 30_000;
const SLICE = 100;
const APPENDERS = 8;
const METER = { categories: ['meter'] };

async function main(): Promise<void> {
  let started = performance.now();
  const month = meteredMonth({ facts: FACTS, tenants: TENANTS, days: 31, hosts: 60, hostFailures: 25, seed: 6_8 });
  console.log(
    `generated ${fmt(month.facts)} lifecycle facts → ${fmt(month.meterEventCount)} meter events in ${secs(started)} s`,
    month.factCounts,
  );

  const database = await createScratchDatabase('caas_bench_billing');
  const store = await PostgresEventStore.connect({ connectionString: database.url, applicationName: 'bench-billing' });
  const dataSource = await openBillingDatabase(database.url);
  try {
    started = performance.now();
    await appendInterleaved(store, month.meterEvents);
    console.log(`appended in ${secs(started)} s`);

    const read = await timed(() => readAll(store));
    const batch = await timed(() => replay(store, dataSource, 'batch'));
    await checkHourlyRows(dataSource, month.meterEvents);
    const baselineEnd = await positionOf(store, Math.min(BASELINE_EVENTS, month.meterEventCount));
    await truncate(dataSource);
    const perEvent = await timed(() => replay(store, dataSource, 'per-event', baselineEnd));

    const meterEvents = month.meterEventCount;
    const rows = [
      ['plain read (ceiling)', meterEvents, read],
      [`batch projection${MAX_BATCH ? ` (maxBatch ${MAX_BATCH})` : ''}`, meterEvents, batch],
      [`per-event projection (first ${fmt(BASELINE_EVENTS)})`, Math.min(BASELINE_EVENTS, meterEvents), perEvent],
    ] as const;
    const batchRate = meterEvents / batch;
    console.log(`\nBilling metering replay: ${fmt(month.facts)} lifecycle facts, ${fmt(meterEvents)} meter events\n`);
    console.log('| replay | meter events | seconds | meter events/s | batch ÷ this |');
    console.log('|---|---|---|---|---|');
    for (const [name, events, seconds] of rows) {
      const rate = events / seconds;
      console.log(
        `| ${name} | ${fmt(events)} | ${seconds.toFixed(1)} | ${fmt(rate)} | ${(batchRate / rate).toFixed(2)} |`,
      );
    }
    const lifecycleRate = month.facts / batch;
    console.log(
      `\nlifecycle events/s (batch replay): ${fmt(lifecycleRate)} — target ≥ ${fmt(TARGET)} ${lifecycleRate >= TARGET ? '✓' : '✗'}`,
    );
  } finally {
    await dataSource.destroy();
    await store.close();
    await database.drop();
  }
}

/** Tenants' streams in slices, round-robin: slice r of every tenant before slice r + 1. */
async function appendInterleaved(store: PostgresEventStore, streams: Map<string, MeterEvent[]>): Promise<void> {
  const slices: Array<{ tenantId: string; events: MeterEvent[] }> = [];
  const longest = Math.max(...[...streams.values()].map((events) => events.length));
  for (let from = 0; from < longest; from += SLICE) {
    for (const [tenantId, events] of streams) {
      if (from < events.length) slices.push({ tenantId, events: events.slice(from, from + SLICE) });
    }
  }
  let next = 0;
  await Promise.all(
    Array.from({ length: APPENDERS }, async () => {
      while (next < slices.length) {
        const { tenantId, events } = slices[next++]!;
        await store.appendToStream(meterStream(tenantId), events.map(toEventData(tenantId)));
      }
    }),
  );
}

const toEventData =
  (tenantId: string) =>
  (event: MeterEvent): EventData => ({
    id: randomUUID(),
    type: event.type,
    data: event.data,
    metadata: { tenantId, actor: 'system', correlationId: 'bench', causationId: 'bench' },
  });

/** The ceiling: the same events through a subscription, nothing written. */
async function readAll(store: PostgresEventStore): Promise<void> {
  const subscription = store.subscribeToAll({ fromPosition: 'start', filter: METER });
  for await (const message of subscription) if (message.kind === 'caughtUp') break;
  await subscription.unsubscribe();
}

/** A fresh checkpoint name, from the first meter event; until caught up, or until `until` is applied. */
async function replay(
  store: PostgresEventStore,
  dataSource: DataSource,
  kind: 'batch' | 'per-event',
  until?: Position,
): Promise<void> {
  const handlers =
    kind === 'batch' ? { handleBatch: projectMeterBatch, maxBatch: MAX_BATCH } : { handle: projectMeterEventOneByOne };
  const consumer = await ReadModelConsumer.start(store, dataSource, {
    name: `bench-billing-${kind}-${randomUUID()}`,
    filter: METER,
    ...handlers,
    onError: (error) => console.error(error),
  });
  if (until) await consumer.waitFor(until, 600_000);
  else await consumer.caughtUp();
  await consumer.stop();
}

/** The position of the `count`-th meter event: where the per-event baseline stops. */
async function positionOf(store: PostgresEventStore, count: number): Promise<Position> {
  let position: Position | undefined;
  for await (const event of store.readAll({ filter: METER, maxCount: count })) position = event.position;
  return position!;
}

/** The replay's totals must be those of hourlyUsage() over the generated streams. */
async function checkHourlyRows(dataSource: DataSource, streams: Map<string, MeterEvent[]>): Promise<void> {
  let rows = 0;
  let containerMs = 0n;
  let volumeByteMs = 0n;
  for (const events of streams.values()) {
    for (const hour of hourlyUsage(events)) {
      rows += 1;
      containerMs += hour.containerMs;
      volumeByteMs += hour.volumeByteMs;
    }
  }
  const [stored] = await dataSource.query(
    `select count(*)::int as rows, coalesce(sum(container_ms), 0)::text as container_ms,
            coalesce(sum(volume_byte_ms), 0)::text as volume_byte_ms from billing.hourly_usage`,
  );
  const expected = { rows, container_ms: containerMs.toString(), volume_byte_ms: volumeByteMs.toString() };
  if (JSON.stringify(stored) !== JSON.stringify(expected)) {
    throw new Error(`hourly rows differ: stored ${JSON.stringify(stored)}, expected ${JSON.stringify(expected)}`);
  }
  console.log(`checked: ${fmt(rows)} hourly rows, the totals of hourlyUsage() over the streams`);
}

function truncate(dataSource: DataSource): Promise<unknown> {
  return dataSource.query('truncate billing.hourly_usage, billing.meters, billing.running_containers');
}

async function timed(work: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await work();
  return (performance.now() - started) / 1000;
}

const secs = (since: number) => ((performance.now() - since) / 1000).toFixed(1);
const fmt = (value: number) => Math.round(value).toLocaleString('en-US');

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
