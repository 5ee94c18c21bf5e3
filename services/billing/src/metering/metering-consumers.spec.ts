import { randomUUID } from 'node:crypto';
import type { ImagesEvent } from '@caas/contracts';
import { type EventStore, StreamNotFoundError, collect, connectEventStore } from '@caas/event-store';
import { type JetStreamConsumer, ensureEventsStream } from '@caas/messaging';
import {
  type PrivateNats,
  type ScratchDatabase,
  createScratchDatabase,
  eventually,
  startPrivateNats,
} from '@caas/testing';
import { type NatsConnection, connect } from 'nats';
import { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { openBillingDatabase } from '../read-model/billing-database';
import { IMAGES_DURABLE } from './images.consumer';
import { meterStream } from './meter.events';
import { meteringBacklog, startMeteringConsumers } from './metering-consumers';
import { publishFact } from './test-support/publish-fact';

/*
 * Tenancy's, the registry's and scheduling's volume facts published on a real JetStream
 * (as their relays publish them), consumed by billing's metering consumers and recorded
 * on the tenants' meters in a real PostgreSQL event store.
 */
describe('billing meters tenancy, images and volume facts (real NATS JetStream and PostgreSQL)', () => {
  let database: ScratchDatabase;
  let nats: PrivateNats;
  let nc: NatsConnection;
  let store: EventStore;
  let dataSource: DataSource;
  let pool: Pool;
  let consumers: JetStreamConsumer[] = [];

  const H = (time: string) => `2026-11-22T${time}.000Z`;
  const meterEvents = async (tenantId: string) => {
    try {
      return (await collect(store.readStream(meterStream(tenantId)))).map(({ type, data }) => ({ type, data }));
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
  };
  /** Every fact published so far has been recorded (or found to be nothing to billing). */
  const settled = () =>
    eventually(
      () => meteringBacklog(consumers),
      (backlog) => backlog === 0,
    );

  beforeAll(async () => {
    database = await createScratchDatabase('caas_billing');
    nats = (await startPrivateNats({ jetstream: true }))!;
    nc = await connect({ servers: nats.url });
    await ensureEventsStream(await nc.jetstreamManager());
    store = await connectEventStore({ databaseUrl: database.url });
    dataSource = await openBillingDatabase(database.url);
    pool = new Pool({ connectionString: database.url, max: 4 });
    consumers = await startMeteringConsumers(nc, pool, store, dataSource);
  });

  afterAll(async () => {
    await Promise.all(consumers.map((consumer) => consumer.stop()));
    await nc?.drain();
    await pool?.end();
    await dataSource?.destroy();
    await store?.close();
    await nats?.stop();
    await database?.drop();
  });

  it('records a tenant’s plans and its deletion, and a republished creation once', async () => {
    const tenantId = `tenant-${randomUUID()}`;
    const created = { type: 'TenantCreated', data: { tenantId, name: 'Acme', planId: 'pro', ownerUserId: 'u-1' } };
    const createdId = await publishFact(nc, 'tenancy', created, { created: H('09:05:00') });
    await publishFact(nc, 'tenancy', { type: 'TenantRenamed', data: { tenantId, name: 'Acme Inc' } });
    await publishFact(
      nc,
      'tenancy',
      { type: 'TenantPlanChanged', data: { tenantId, planId: 'enterprise', effectiveAt: H('10:00:00') } },
      { created: H('09:50:00') },
    );
    // The relay published it again after JetStream's duplicate window: same event id, new message.
    await publishFact(nc, 'tenancy', created, { id: createdId, msgID: randomUUID(), created: H('09:05:00') });
    await publishFact(nc, 'tenancy', { type: 'TenantDeleted', data: { tenantId } }, { created: H('11:30:00') });

    await eventually(
      () => meterEvents(tenantId),
      (events) => events.some((event) => event.type === 'TenantDeparted'),
    );
    await settled();
    expect(await meterEvents(tenantId)).toEqual([
      { type: 'PlanRecorded', data: { tenantId, planId: 'pro', at: H('09:05:00') } },
      { type: 'PlanRecorded', data: { tenantId, planId: 'enterprise', at: H('10:00:00') } },
      { type: 'TenantDeparted', data: { tenantId, at: H('11:30:00') } },
    ]);
  });

  it('records the bytes of pushed and deleted images and of a removed repository, and ignores the market', async () => {
    const tenantId = `tenant-${randomUUID()}`;
    const repo = { repositoryId: `repo-${randomUUID()}`, tenantId, repository: `${tenantId}/web` };
    const market = { repositoryId: `repo-${randomUUID()}`, tenantId: null, repository: 'library/nginx' };
    const pushed = (on: typeof repo | typeof market, digest: string, size: number, at: string): ImagesEvent => ({
      type: 'ImagePushed',
      data: {
        ...on,
        tag: digest,
        digest,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        size,
        pushedAt: H(at),
        pushedBy: '',
      },
    });

    const marketId = await publishFact(nc, 'images', pushed(market, 'sha256:m', 999, '09:00:00'));
    await publishFact(nc, 'images', pushed(repo, 'sha256:a', 100, '09:10:00'));
    await publishFact(nc, 'images', pushed(repo, 'sha256:b', 200, '09:20:00'));
    await publishFact(nc, 'images', {
      type: 'ImageDeleted',
      data: { ...repo, digest: 'sha256:a', tags: ['sha256:a'], size: 100, at: H('09:30:00') },
    });
    await publishFact(nc, 'images', { type: 'RepositoryRemoved', data: { ...repo, at: H('09:40:00') } });

    const key = (digest: string) => `image:${repo.repositoryId}@${digest}`;
    const stored = (digest: string, bytes: number, at: string) => ({
      type: 'StorageRecorded',
      data: { tenantId, kind: 'image', key: key(digest), bytes, at: H(at) },
    });
    const expected = [
      stored('sha256:a', 100, '09:10:00'),
      stored('sha256:b', 200, '09:20:00'),
      stored('sha256:a', 0, '09:30:00'),
      stored('sha256:b', 0, '09:40:00'), // cleared with its repository; sha256:a was already gone
    ];
    await eventually(
      () => meterEvents(tenantId),
      (events) => events.length >= expected.length,
    );
    await settled();
    expect(await meterEvents(tenantId)).toEqual(expected);

    // The market's push was handled, and recorded nothing on any meter.
    const { rows } = await pool.query(
      'select 1 from messaging.processed_events where consumer = $1 and event_id = $2',
      [IMAGES_DURABLE, marketId],
    );
    expect(rows).toHaveLength(1);
    const meters = await collect(store.readAll({ filter: { categories: ['meter'] } }));
    expect(meters.filter((event) => (event.metadata as { causationId?: string }).causationId === marketId)).toEqual([]);
  });

  it('records a measured volume’s size', async () => {
    const tenantId = `tenant-${randomUUID()}`;
    const measured = { tenantId, hostId: 'h1', volumeName: 'data', sizeBytes: 2 ** 30, measuredAt: H('10:30:00') };
    await publishFact(nc, 'scheduling', { type: 'VolumeMeasured', data: measured });

    const events = await eventually(
      () => meterEvents(tenantId),
      (recorded) => recorded.length > 0,
    );
    expect(events).toEqual([
      {
        type: 'StorageRecorded',
        data: { tenantId, kind: 'volume', key: 'volume:h1/data', bytes: 2 ** 30, at: H('10:30:00') },
      },
    ]);
  });
});
