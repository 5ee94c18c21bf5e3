import { randomUUID } from 'node:crypto';
import { CaasError, MAX_WEBHOOKS_PER_TENANT, type PublicEvent, type WebhookDeliveryView } from '@caas/contracts';
import { type EventStore, connectEventStore } from '@caas/event-store';
import { ensureEventsStream } from '@caas/messaging';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';
import {
  type PrivateNats,
  type ScratchDatabase,
  createScratchDatabase,
  eventually,
  sleep,
  startPrivateNats,
} from '@caas/testing';
import { type NatsConnection, connect } from 'nats';
import { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import type { MonitoringConfig } from '../monitoring.config';
import { openMonitoringDatabase } from '../read-model/monitoring-database';
import { WebhookHandlers } from '../webhook/webhook.handlers';
import { type RunningWebhooksSlice, startWebhooksSlice } from '../webhook/webhooks.slice';
import { DELIVERY_DURABLE } from './delivery-enqueuer';
import { publishEvent } from './test-support/publish-event';
import { WebhookReceiver } from './test-support/webhook-receiver';

/*
 * Webhook delivery on real PostgreSQL (a scratch database), a private JetStream NATS and
 * a real HTTP receiver that verifies every signature: the slice as main.ts starts it, the
 * handlers called as the NATS transport calls them.
 */

const MAX_ATTEMPTS = 3;
const POLL_MS = 50;
const SETTLED = { timeoutMs: 20_000, intervalMs: 100 };

describe('webhook delivery (PostgreSQL, JetStream, a real receiver)', () => {
  let scratch: ScratchDatabase;
  let nats: PrivateNats;
  let nc: NatsConnection;
  let store: EventStore;
  let dataSource: DataSource;
  let pool: Pool;
  let slice: RunningWebhooksSlice;
  let handlers: WebhookHandlers;
  let receiver: WebhookReceiver;
  const errors: unknown[] = [];

  const tenantA = randomUUID();
  const tenantB = randomUUID();
  const meta = (tenantId: string, role = 'owner'): RequestMeta => ({
    correlationId: randomUUID(),
    actor: { type: 'user', id: randomUUID() },
    tenantId,
    roles: [role],
  });

  /** Registers a webhook on `path` and tells the receiver its secret. */
  const register = async (tenantId: string, path: string, eventTypes: string[]) => {
    const webhook = await handlers.register({ url: receiver.url(path), eventTypes }, meta(tenantId));
    receiver.secretFor(path, webhook.secret);
    return webhook;
  };
  const deliveriesOf = (tenantId: string, webhookId: string) =>
    handlers.listDeliveries({ webhookId }, meta(tenantId)) as Promise<WebhookDeliveryView[]>;
  /** Until the enqueuer has committed each event (delivered or not): then nothing more of them is queued. */
  const processed = async (...eventIds: string[]) => {
    const done = await eventually(
      async () =>
        (
          await pool.query(
            'select count(*)::int as n from messaging.processed_events where consumer = $1 and event_id = any($2)',
            [DELIVERY_DURABLE, eventIds],
          )
        ).rows[0].n as number,
      (n) => n === eventIds.length,
      SETTLED,
    );
    expect(done).toBe(eventIds.length);
  };
  const bodyOf = (body: string) => JSON.parse(body) as PublicEvent;

  beforeAll(async () => {
    scratch = await createScratchDatabase('caas_webhooks');
    const started = await startPrivateNats({ jetstream: true });
    if (!started) throw new Error('These tests need a nats-server binary (`npm run infra:up` installs it)');
    nats = started;
    nc = await connect({ servers: nats.url });
    await ensureEventsStream(await nc.jetstreamManager());
    store = await connectEventStore({ databaseUrl: scratch.url });
    dataSource = await openMonitoringDatabase(scratch.url);
    pool = new Pool({ connectionString: scratch.url, max: 6 });
    receiver = await WebhookReceiver.start();
    const config: MonitoringConfig = {
      databaseUrl: scratch.url,
      natsUrl: nats.url,
      webhooks: {
        allowHosts: ['127.0.0.1'],
        backoffMs: 100,
        maxAttempts: MAX_ATTEMPTS,
        timeoutMs: 5_000,
        pollMs: POLL_MS,
      },
    };
    slice = await startWebhooksSlice({
      config,
      store,
      dataSource,
      nc,
      pool,
      report: () => (error) => errors.push(error),
    });
    handlers = new WebhookHandlers(store, dataSource, nc, config, slice.readYourWrites);
  });

  afterAll(async () => {
    await slice?.stop();
    await receiver?.close();
    await pool?.end();
    await dataSource?.destroy();
    await store?.close();
    await nc?.drain();
    await nats?.stop();
    await scratch?.drop();
  });

  it('a receiver verifies the signature and gets the event again after a 503; every attempt is logged', async () => {
    const webhook = await register(tenantA, '/retry', ['Container*']);
    expect(webhook.secret).toMatch(/^whsec_/);
    receiver.answerOn('/retry', (_request, nth) => (nth === 1 ? 503 : 200));
    const event = await publishEvent(nc, 'scheduling', 'ContainerStarted', tenantA, { containerId: 'c1' });

    const [delivery] = await eventually(
      () => deliveriesOf(tenantA, webhook.webhookId),
      (list) => list[0]?.status === 'delivered',
      SETTLED,
    );
    expect(delivery).toMatchObject({ eventId: event.id, eventType: 'ContainerStarted', sequence: event.sequence });
    expect(delivery.redeliveryId).toBeNull();
    expect(delivery.attempts.map((attempt) => attempt.statusCode)).toEqual([503, 200]);
    expect(delivery.attempts[0].error).toBe('HTTP 503');
    expect(delivery.attempts.every((attempt) => attempt.durationMs >= 0 && !!Date.parse(attempt.at))).toBe(true);

    const requests = receiver.on('/retry');
    expect(requests).toHaveLength(2);
    expect(requests.every((request) => request.verified)).toBe(true);
    for (const request of requests) {
      expect(request.headers['caas-event-id']).toBe(event.id);
      expect(request.headers['caas-delivery-id']).toBe(delivery.deliveryId);
      expect(request.headers['caas-event-type']).toBe('ContainerStarted');
      expect(bodyOf(request.body)).toMatchObject({
        id: event.id,
        sequence: event.sequence,
        type: 'ContainerStarted',
        context: 'scheduling',
        tenantId: tenantA,
        data: { containerId: 'c1' },
      });
    }
  });

  it('delivers only the tenant’s own events its filters take; another tenant sees none of it', async () => {
    const forA = await register(tenantA, '/a-only', ['Container*', 'ImagePushed']);
    const forB = await register(tenantB, '/b-all', ['*']);
    const published = [
      await publishEvent(nc, 'scheduling', 'ContainerStopped', tenantA),
      await publishEvent(nc, 'tenancy', 'TenantRenamed', tenantA),
      await publishEvent(nc, 'images', 'ImagePushedSomewhere', tenantA),
      await publishEvent(nc, 'scheduling', 'ContainerStarted', tenantB),
      await publishEvent(nc, 'tenancy', 'UserSignedUp', null),
      await publishEvent(nc, 'images', 'ImagePushed', tenantA),
    ];
    await processed(...published.map((event) => event.id));
    const [stopped, , , startedForB, , pushed] = published;

    const toA = await eventually(
      () => deliveriesOf(tenantA, forA.webhookId),
      (list) => list.length === 2 && list.every((delivery) => delivery.status === 'delivered'),
      SETTLED,
    );
    expect(toA.map((delivery) => delivery.eventId).sort()).toEqual([stopped.id, pushed.id].sort());
    const toB = await eventually(
      () => deliveriesOf(tenantB, forB.webhookId),
      (list) => list.some((delivery) => delivery.status === 'delivered'),
      SETTLED,
    );
    expect(toB.map((delivery) => delivery.eventId)).toEqual([startedForB.id]);
    expect(receiver.on('/a-only').map((request) => bodyOf(request.body).tenantId)).toEqual([tenantA, tenantA]);
    expect(receiver.requests.every((request) => request.verified)).toBe(true);

    // Another tenant's webhook does not exist for B: not its view, log, changes or redelivery.
    const asB = meta(tenantB);
    const refused = async (call: Promise<unknown>) =>
      (await call.then(
        () => undefined,
        (error) => error,
      )) as CaasError;
    expect((await refused(handlers.get({ webhookId: forA.webhookId }, asB))).code).toBe('not_found');
    expect((await refused(handlers.listDeliveries({ webhookId: forA.webhookId }, asB))).code).toBe('not_found');
    expect((await refused(handlers.update({ webhookId: forA.webhookId, enabled: false }, asB))).code).toBe('not_found');
    expect((await refused(handlers.rotateSecret({ webhookId: forA.webhookId }, asB))).code).toBe('not_found');
    expect((await refused(handlers.requestRedelivery({ webhookId: forA.webhookId, fromSequence: 1 }, asB))).code).toBe(
      'not_found',
    );
    expect((await refused(handlers.remove({ webhookId: forA.webhookId }, asB))).code).toBe('not_found');
    expect((await handlers.list({}, asB)).map((webhook) => webhook.webhookId)).toEqual([forB.webhookId]);
  });

  it(`gives up after ${MAX_ATTEMPTS} attempts: failed, each attempt logged`, async () => {
    const webhook = await register(tenantA, '/down', ['ServiceCreated']);
    receiver.answerOn('/down', () => 500);
    const event = await publishEvent(nc, 'scheduling', 'ServiceCreated', tenantA);

    const [delivery] = await eventually(
      () => deliveriesOf(tenantA, webhook.webhookId),
      (list) => list[0]?.status === 'failed',
      SETTLED,
    );
    expect(delivery.eventId).toBe(event.id);
    expect(delivery.nextAttemptAt).toBeNull();
    expect(delivery.attempts.map((attempt) => attempt.statusCode)).toEqual([500, 500, 500]);
    expect(receiver.on('/down')).toHaveLength(MAX_ATTEMPTS);
    expect(receiver.on('/down').every((request) => request.verified)).toBe(true);
  });

  it('redelivers the tenant’s matching events from a sequence, as new deliveries of the same event ids', async () => {
    const webhook = await register(tenantA, '/replay', ['Volume*']);
    const first = await publishEvent(nc, 'scheduling', 'VolumeCreated', tenantA);
    const others = [
      await publishEvent(nc, 'scheduling', 'VolumeCreated', tenantB),
      await publishEvent(nc, 'scheduling', 'ContainerStarted', tenantA),
    ];
    const second = await publishEvent(nc, 'scheduling', 'VolumeRemoved', tenantA);
    await processed(first.id, second.id, ...others.map((event) => event.id));
    await eventually(
      () => deliveriesOf(tenantA, webhook.webhookId),
      (list) => list.length === 2 && list.every((delivery) => delivery.status === 'delivered'),
      SETTLED,
    );

    const redelivery = await handlers.requestRedelivery(
      { webhookId: webhook.webhookId, fromSequence: first.sequence + 1 },
      meta(tenantA, 'admin'),
    );
    expect(redelivery.fromSequence).toBe(first.sequence + 1);
    expect(redelivery.toSequence).toBeGreaterThanOrEqual(second.sequence);

    const all = await eventually(
      () => deliveriesOf(tenantA, webhook.webhookId),
      (list) => list.length === 3 && list.every((delivery) => delivery.status === 'delivered'),
      SETTLED,
    );
    const again = all.filter((delivery) => delivery.redeliveryId === redelivery.redeliveryId);
    expect(again.map((delivery) => delivery.eventId)).toEqual([second.id]);
    const live = all.find((delivery) => delivery.eventId === second.id && delivery.redeliveryId === null);
    expect(again[0].deliveryId).not.toBe(live?.deliveryId);
    const received = receiver.on('/replay').filter((request) => request.headers['caas-event-id'] === second.id);
    expect(received.map((request) => request.headers['caas-delivery-id']).sort()).toEqual(
      [live?.deliveryId, again[0].deliveryId].sort(),
    );
    expect(receiver.on('/replay').every((request) => request.verified)).toBe(true);

    // A start past the stream's end names the field.
    const past = await handlers
      .requestRedelivery({ webhookId: webhook.webhookId, fromSequence: 1_000_000 }, meta(tenantA))
      .then(
        () => undefined,
        (error: CaasError) => error,
      );
    expect(past?.extra.violations?.[0]).toMatchObject({ field: 'fromSequence', rule: 'max' });
  });

  it('keeps at most 2 deliveries of one webhook in flight', async () => {
    const webhook = await register(tenantA, '/slow', ['Host*']);
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    receiver.answerOn('/slow', async () => {
      await released;
      return 200;
    });
    const events = [];
    for (let i = 0; i < 5; i++) events.push(await publishEvent(nc, 'scheduling', 'HostHeartbeat', tenantA, { i }));
    await processed(...events.map((event) => event.id));

    const open = await eventually(
      async () => receiver.openOn('/slow'),
      (n) => n === 2,
      SETTLED,
    );
    expect(open).toBe(2);
    // While those two hang, twenty polls go by: none of them may send a third.
    await sleep(20 * POLL_MS);
    expect(receiver.on('/slow')).toHaveLength(2);
    expect(receiver.maxInFlight.get('/slow')).toBe(2);

    release();
    const done = await eventually(
      () => deliveriesOf(tenantA, webhook.webhookId),
      (list) => list.length === 5 && list.every((delivery) => delivery.status === 'delivered'),
      SETTLED,
    );
    expect(done).toHaveLength(5);
    expect(receiver.maxInFlight.get('/slow')).toBe(2);
  });

  it(`holds registrations racing each other to ${MAX_WEBHOOKS_PER_TENANT} webhooks per tenant`, async () => {
    const tenant = randomUUID();
    const attempts = Array.from({ length: MAX_WEBHOOKS_PER_TENANT + 5 }, (_, i) =>
      handlers.register({ url: receiver.url(`/race-${i}`), eventTypes: ['*'] }, meta(tenant)),
    );
    const outcomes = await Promise.allSettled(attempts);
    const refused = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason] : []));
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(MAX_WEBHOOKS_PER_TENANT);
    expect(refused.map((error: CaasError) => error.code)).toEqual(Array(5).fill('quota_exceeded'));
    expect(await handlers.list({}, meta(tenant))).toHaveLength(MAX_WEBHOOKS_PER_TENANT);
  });

  it('reported no errors', () => {
    expect(errors).toEqual([]);
  });
});
