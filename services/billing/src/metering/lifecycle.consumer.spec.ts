import { randomUUID } from 'node:crypto';
import type { SchedulingEvent } from '@caas/contracts';
import { type IntegrationEvent, encodeIntegrationEvent, eventSubject, integrationEventHeaders } from '@caas/messaging';
import {
  type PrivateNats,
  type ScratchDatabase,
  createScratchDatabase,
  eventually,
  startPrivateNats,
} from '@caas/testing';
import { type NatsConnection, connect } from 'nats';
import { Client } from 'pg';
import { type RunningBilling, startBilling } from '../main';

/*
 * Billing as it runs: scheduling's lifecycle events published on a real JetStream (as
 * scheduling's relay publishes them), consumed, recorded on the tenants' meters, hours
 * closed by the clock, and the hourly rows read from the real database.
 */
describe('billing meters scheduling’s lifecycle events (real NATS JetStream and PostgreSQL)', () => {
  let database: ScratchDatabase;
  let nats: PrivateNats;
  let nc: NatsConnection;
  let billing: RunningBilling;
  let now = new Date('2026-11-22T09:00:00.000Z');

  const fact = (tenantId: string, containerId: string, hostId: string, at: string) => ({
    tenantId,
    environmentId: 'env',
    containerId,
    serviceId: null,
    replica: null,
    hostId,
    resources: { cpus: 1, memoryMb: 512, pidsLimit: 128 },
    at: `2026-11-22T${at}.000Z`,
  });
  const publish = async (event: SchedulingEvent, id = randomUUID(), msgID = id) => {
    const integration: IntegrationEvent = {
      id,
      type: event.type,
      streamId: 'x-1',
      revision: '0',
      position: '0',
      data: event.data,
      metadata: { tenantId: event.data.tenantId, correlationId: id },
      created: new Date().toISOString(),
    };
    await nc.jetstream().publish(eventSubject('scheduling', event.type), encodeIntegrationEvent(integration), {
      msgID,
      headers: integrationEventHeaders(integration),
    });
    return id;
  };
  const query = async <T>(sql: string, params: unknown[] = []): Promise<T[]> => {
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  };
  const running = (hostId: string) =>
    query<{ tenant_id: string }>('select tenant_id from billing.running_containers where host_id = $1', [hostId]);

  beforeAll(async () => {
    database = await createScratchDatabase('caas_billing');
    nats = (await startPrivateNats({ jetstream: true }))!;
    billing = await startBilling({
      databaseUrl: database.url,
      natsUrl: nats.url,
      hourGraceMs: 60_000,
      clockIntervalMs: 3_600_000, // the spec ticks the clock itself
      now: () => now,
    });
    nc = await connect({ servers: nats.url });
  });

  afterAll(async () => {
    await nc?.drain();
    await billing?.close();
    await nats?.stop();
    await database?.drop();
  });

  it('records starts, stops, a republished fact and a host failure, and closes hours into exact rows', async () => {
    await publish({ type: 'ContainerStarted', data: fact('tenant-a', 'c1', 'h1', '09:30:00') });
    await publish({ type: 'ContainerStarted', data: fact('tenant-b', 'c2', 'h2', '09:40:00') });
    const stopped: SchedulingEvent = {
      type: 'ContainerStopped',
      data: { ...fact('tenant-a', 'c1', 'h1', '10:45:00'), reason: 'requested' },
    };
    const stopId = await publish(stopped);
    // The relay published it again after JetStream's duplicate window: same event id, new message.
    await publish(stopped, stopId, randomUUID());
    await eventually(
      () => running('h2'),
      (rows) => rows.length === 1,
    );
    await publish({
      type: 'HostDown',
      data: {
        tenantId: null,
        hostId: 'h2',
        capacity: { cpus: 2, memoryMb: 4096 },
        lastSeenAt: '2026-11-22T10:09:50.000Z',
        at: '2026-11-22T10:10:00.000Z',
      },
    });
    await eventually(
      () => running('h2'),
      (rows) => rows.length === 0,
    );
    await eventually(
      () => running('h1'),
      (rows) => rows.length === 0,
    );

    now = new Date('2026-11-22T11:00:30.000Z'); // hour 10 is over, its grace not yet
    expect(await billing.clock.tick()).toBe(2); // hour 09 of each tenant
    now = new Date('2026-11-22T11:01:00.000Z');
    expect(await billing.clock.tick()).toBe(2);
    expect(await billing.clock.tick()).toBe(0);

    const rows = await query<{ tenant_id: string; hour: Date; container_ms: string }>(
      'select tenant_id, hour, container_ms from billing.hourly_usage order by tenant_id, hour',
    );
    const MIN = 60_000;
    expect(rows.map((row) => [row.tenant_id, row.hour.toISOString(), Number(row.container_ms) / MIN])).toEqual([
      ['tenant-a', '2026-11-22T09:00:00.000Z', 30],
      ['tenant-a', '2026-11-22T10:00:00.000Z', 45],
      ['tenant-b', '2026-11-22T09:00:00.000Z', 20],
      ['tenant-b', '2026-11-22T10:00:00.000Z', 10], // until its host went down
    ]);
  });
});
