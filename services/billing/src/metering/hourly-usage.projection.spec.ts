import { randomUUID } from 'node:crypto';
import { SYSTEM_ACTOR } from '@caas/contracts';
import { handleCommand, recordedAs } from '@caas/domain';
import { type EventStore, connectEventStore } from '@caas/event-store';
import type { ReadModelConsumer } from '@caas/read-model';
import { type ScratchDatabase, createScratchDatabase } from '@caas/testing';
import type { DataSource } from 'typeorm';
import { openBillingDatabase } from '../read-model/billing-database';
import { startMeteringReadModel } from '../read-model/metering.read-model';
import { hourlyUsage } from './hourly-usage';
import { meterDecider, type MeterCommand } from './meter.decider';
import { metersDue, tenantsRunningOn } from './meters.projection';
import { type MeterEvent, meterStream } from './meter.events';
import { SCRIPTED_DAY, SCRIPTED_DAY_HOURS } from './test-support/scripted-day';

/*
 * The hourly rows on a real PostgreSQL: the scripted day recorded through the command
 * handler into meter streams of two tenants, projected, then dropped and rebuilt from
 * the store — the same rows, and the ones computed by hand.
 */
describe('hourly usage projection (real PostgreSQL event store and read model)', () => {
  let database: ScratchDatabase;
  let store: EventStore;
  let dataSource: DataSource;
  const consumers: ReadModelConsumer[] = [];
  const tenants = ['tenant-a', 'tenant-b'];

  const rows = async () =>
    (
      (await dataSource.query(
        `select tenant_id, hour, plan_id, container_ms, milli_cpu_ms, memory_mb_ms, volume_byte_ms, image_byte_ms
           from billing.hourly_usage order by tenant_id, hour`,
      )) as Array<Record<string, string> & { hour: Date }>
    ).map((row) => ({
      tenantId: row.tenant_id,
      hour: row.hour.toISOString(),
      planId: row.plan_id,
      containerMs: BigInt(row.container_ms!),
      milliCpuMs: BigInt(row.milli_cpu_ms!),
      memoryMbMs: BigInt(row.memory_mb_ms!),
      volumeByteMs: BigInt(row.volume_byte_ms!),
      imageByteMs: BigInt(row.image_byte_ms!),
    }));
  const project = async (name: string) => {
    const consumer = await startMeteringReadModel(store, dataSource, (error) => console.error(error), name);
    consumers.push(consumer);
    await consumer.caughtUp();
    return consumer;
  };

  beforeAll(async () => {
    database = await createScratchDatabase('caas_billing');
    store = await connectEventStore({ databaseUrl: database.url });
    dataSource = await openBillingDatabase(database.url);
    for (const tenantId of tenants) {
      for (const [step, command] of SCRIPTED_DAY.entries()) {
        const context = { tenantId, actor: SYSTEM_ACTOR, correlationId: randomUUID(), causationId: `fact-${step}` };
        const ofTenant = { ...command, tenantId } as MeterCommand;
        await handleCommand(store, meterDecider, meterStream(tenantId), ofTenant, {
          ...context,
          commandId: `fact-${step}`,
        });
        // A fact redelivered by JetStream comes with the same id: it finds its events.
        await handleCommand(store, meterDecider, meterStream(tenantId), ofTenant, {
          ...context,
          commandId: `fact-${step}`,
        });
      }
    }
  });

  afterAll(async () => {
    for (const consumer of consumers) await consumer.stop();
    await dataSource?.destroy();
    await store?.close();
    await database?.drop();
  });

  it('projects exactly the hand-computed rows for each tenant, never mixing them', async () => {
    await project('billing-metering-spec');
    const expected = tenants.flatMap((tenantId) => SCRIPTED_DAY_HOURS.map((hour) => ({ tenantId, ...hour })));
    expect(await rows()).toEqual(expected);

    // And they are the sum of the recorded events alone.
    for (const tenantId of tenants) {
      const events: MeterEvent[] = [];
      for await (const event of store.readStream(meterStream(tenantId))) events.push(recordedAs<MeterEvent>(event));
      expect(hourlyUsage(events)).toEqual(SCRIPTED_DAY_HOURS);
    }
  });

  it('is dropped and rebuilt from the event store with identical output', async () => {
    const before = await rows();
    await consumers.pop()!.stop();
    const metersBefore = await dataSource.query('select * from billing.meters order by tenant_id');
    await dataSource.query('truncate billing.hourly_usage, billing.meters, billing.running_containers');
    expect(await rows()).toEqual([]);
    await project('billing-metering-spec-rebuilt');
    expect(await rows()).toEqual(before);
    expect(await dataSource.query('select * from billing.meters order by tenant_id')).toEqual(metersBefore);
  });

  it('knows which tenants run on a host, and which meters have an hour to close', async () => {
    const manager = dataSource.manager;
    // Every container of the scripted day has ended; one more tenant runs one on h9.
    const context = { tenantId: 'tenant-c', actor: SYSTEM_ACTOR, correlationId: randomUUID(), causationId: 'fact-c' };
    const started = {
      kind: 'RecordContainerStarted',
      tenantId: 'tenant-c',
      containerId: 'c9',
      hostId: 'h9',
      cpus: 1,
      memoryMb: 64,
      at: '2026-11-22T13:30:00.000Z',
    } as const;
    const { nextExpectedRevision } = await handleCommand(
      store,
      meterDecider,
      meterStream('tenant-c'),
      started,
      context,
    );
    const consumer = consumers.at(-1)!;
    for await (const event of store.readStream(meterStream('tenant-c'), {
      fromRevision: nextExpectedRevision!,
      maxCount: 1,
    })) {
      await consumer.waitFor(event.position);
    }
    expect(await tenantsRunningOn(manager, 'h9')).toEqual(['tenant-c']);
    expect(await tenantsRunningOn(manager, 'h2')).toEqual([]);

    // The day closed hours 09–13: each tenant's next is 14:00, due once 15:00 and the grace have passed.
    const grace = 60_000;
    expect(await metersDue(manager, new Date('2026-11-22T15:00:30.000Z'), grace)).toEqual([
      { tenantId: 'tenant-c', hour: '2026-11-22T13:00:00.000Z' },
    ]);
    expect(await metersDue(manager, new Date('2026-11-22T15:01:00.000Z'), grace)).toEqual([
      { tenantId: 'tenant-a', hour: '2026-11-22T14:00:00.000Z' },
      { tenantId: 'tenant-b', hour: '2026-11-22T14:00:00.000Z' },
      { tenantId: 'tenant-c', hour: '2026-11-22T13:00:00.000Z' },
    ]);
  });
});
