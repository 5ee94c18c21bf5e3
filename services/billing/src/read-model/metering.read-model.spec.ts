import { SYSTEM_ACTOR } from '@caas/contracts';
import { handleCommand, recordedAs } from '@caas/domain';
import { type EventStore, type RecordedEvent, connectEventStore } from '@caas/event-store';
import { type ScratchDatabase, createScratchDatabase } from '@caas/testing';
import type { DataSource, EntityManager } from 'typeorm';
import { hourlyUsage } from '../metering/hourly-usage';
import type { MeterCommand } from '../metering/meter.decider';
import { meterDecider } from '../metering/meter.decider';
import { type MeterEvent, meterStream } from '../metering/meter.events';
import { projectMeterEventOneByOne } from '../metering/test-support/meter-event-one-by-one';
import { H, SCRIPTED_DAY, close, end, start } from '../metering/test-support/scripted-day';
import { openBillingDatabase } from './billing-database';
import { projectMeterBatch, startMeteringReadModel } from './metering.read-model';

/*
 * The batch projection against the per-event one it replaced, on a real PostgreSQL:
 * the same meter events applied one by one, in one batch, in batches of one and of
 * three, and by the running read model must leave identical tables.
 */
describe('metering read model: batches give the per-event rows (real PostgreSQL)', () => {
  let database: ScratchDatabase;
  let store: EventStore;
  let dataSource: DataSource;
  let events: RecordedEvent[];

  /** Two tenants on the scripted day; a third starts and ends a container within one batch, keeps one running, and is deleted. */
  const script: Array<[string, readonly MeterCommand[]]> = [
    ['tenant-a', SCRIPTED_DAY],
    ['tenant-b', SCRIPTED_DAY],
    [
      'tenant-c',
      [
        start('c1', 'h1', 1, 256, '09:10:00'),
        end('c1', '09:20:00'),
        start('c2', 'h2', 0.25, 128, '09:30:00'),
        close('09'),
        start('c3', 'h3', 2, 512, '10:05:00'),
        { kind: 'RecordTenantDeleted', tenantId: 't-1', at: H('10:40:00') },
        close('10'),
      ],
    ],
    ['tenant-d', [start('c1', 'h1', 1, 256, '09:10:00'), close('09'), start('c2', 'h2', 1, 256, '10:10:00')]],
  ];

  beforeAll(async () => {
    database = await createScratchDatabase('caas_billing');
    store = await connectEventStore({ databaseUrl: database.url });
    dataSource = await openBillingDatabase(database.url);
    for (const [tenantId, commands] of script) {
      for (const [step, command] of commands.entries()) {
        await handleCommand(store, meterDecider, meterStream(tenantId), { ...command, tenantId } as MeterCommand, {
          tenantId,
          actor: SYSTEM_ACTOR,
          correlationId: `${tenantId}-${step}`,
          causationId: `fact-${step}`,
        });
      }
    }
    events = [];
    for await (const event of store.readAll({ filter: { categories: ['meter'] } })) events.push(event);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await store?.close();
    await database?.drop();
  });

  async function tables() {
    return {
      hourlyUsage: await dataSource.query(
        `select tenant_id, hour, plan_id, container_ms, milli_cpu_ms, memory_mb_ms, volume_byte_ms, image_byte_ms
         from billing.hourly_usage order by tenant_id, hour`,
      ),
      meters: await dataSource.query('select * from billing.meters order by tenant_id'),
      running: await dataSource.query('select * from billing.running_containers order by tenant_id, container_id'),
    };
  }

  async function projectInto(apply: (manager: EntityManager) => Promise<void>) {
    await dataSource.query('truncate billing.hourly_usage, billing.meters, billing.running_containers');
    await dataSource.transaction(apply);
    return tables();
  }

  const oneByOne = () =>
    projectInto(async (manager) => {
      for (const event of events) await projectMeterEventOneByOne(event, manager);
    });
  const inBatchesOf = (size: number) =>
    projectInto(async (manager) => {
      for (let i = 0; i < events.length; i += size) await projectMeterBatch(events.slice(i, i + size), manager);
    });

  it('one batch, batches of one and batches of three give the per-event tables', async () => {
    const reference = await oneByOne();
    expect(reference.hourlyUsage.length).toBeGreaterThan(0);
    expect(await inBatchesOf(events.length)).toEqual(reference);
    expect(await inBatchesOf(1)).toEqual(reference);
    expect(await inBatchesOf(3)).toEqual(reference);
  });

  it('a start and an end in one batch leave nothing running; the last close and the deletion stay on the meter', async () => {
    const { running, meters } = await inBatchesOf(events.length);
    // tenant-c's c1 started and ended in the batch, its others ended with the tenant; tenant-d's still run.
    expect(running).toEqual([
      { tenant_id: 'tenant-d', container_id: 'c1', host_id: 'h1' },
      { tenant_id: 'tenant-d', container_id: 'c2', host_id: 'h2' },
    ]);
    expect(meters).toEqual(
      expect.arrayContaining([
        { tenant_id: 'tenant-c', closed_through: new Date(H('11:00:00')), ends_at: new Date(H('10:40:00')) },
        { tenant_id: 'tenant-d', closed_through: new Date(H('10:00:00')), ends_at: null },
      ]),
    );
  });

  it('the running read model writes the same tables, and its hours are hourlyUsage of the streams', async () => {
    const reference = await oneByOne();
    await dataSource.query('truncate billing.hourly_usage, billing.meters, billing.running_containers');
    const consumer = await startMeteringReadModel(store, dataSource, (error) => console.error(error), 'metering-spec');
    await consumer.caughtUp();
    await consumer.stop();
    expect(await tables()).toEqual(reference);

    for (const [tenantId] of script) {
      const ofTenant = events.map((event) => recordedAs<MeterEvent>(event)).filter((e) => e.data.tenantId === tenantId);
      const stored = reference.hourlyUsage.filter((row: { tenant_id: string }) => row.tenant_id === tenantId);
      expect(stored.map(toUsage)).toEqual(hourlyUsage(ofTenant));
    }
  });
});

function toUsage(row: Record<string, string | Date>) {
  return {
    hour: (row.hour as Date).toISOString(),
    planId: row.plan_id,
    containerMs: BigInt(row.container_ms as string),
    milliCpuMs: BigInt(row.milli_cpu_ms as string),
    memoryMbMs: BigInt(row.memory_mb_ms as string),
    volumeByteMs: BigInt(row.volume_byte_ms as string),
    imageByteMs: BigInt(row.image_byte_ms as string),
  };
}
