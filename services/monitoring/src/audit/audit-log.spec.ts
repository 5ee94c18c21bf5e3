import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { AUDIT, type Actor, type AuditPage, CaasError, type PublicEvent } from '@caas/contracts';
import { type EventStore, connectEventStore } from '@caas/event-store';
import {
  type IntegrationEvent,
  type JetStreamConsumer,
  encodeIntegrationEvent,
  ensureEventsStream,
  eventSubject,
  integrationEventHeaders,
} from '@caas/messaging';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';
import { RpcClient } from '@caas/messaging/src/rpc/rpc-client';
import { serviceTransport } from '@caas/messaging/src/rpc/service-transport';
import {
  type PrivateNats,
  type ScratchDatabase,
  createScratchDatabase,
  eventually,
  startPrivateNats,
} from '@caas/testing';
import { type INestMicroservice, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type ClientProxy, ClientProxyFactory, Transport } from '@nestjs/microservices';
import { type NatsConnection, connect } from 'nats';
import { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { openMonitoringDatabase } from '../read-model/monitoring-database';
import { EVENT_STORE, MONITORING_DATA_SOURCE } from '../shared/tokens';
import { auditLogConsumer } from './audit-log.writer';
import { AuditHandlers } from './audit.handlers';

/*
 * Events of several contexts published on a real JetStream (as the relays publish them),
 * stored by the audit consumer in a real PostgreSQL, and read back over NATS through
 * monitoring.audit.list as the gateway asks.
 */
describe('the audit log (real NATS JetStream and PostgreSQL)', () => {
  let database: ScratchDatabase;
  let nats: PrivateNats;
  let nc: NatsConnection;
  let pool: Pool;
  let dataSource: DataSource;
  let store: EventStore;
  let consumer: JetStreamConsumer;
  let app: INestMicroservice;
  let proxy: ClientProxy;
  let rpc: RpcClient;

  const tenantA = randomUUID();
  const tenantB = randomUUID();
  const owner: Actor = { type: 'user', id: randomUUID() };
  const robot: Actor = { type: 'api-key', id: randomUUID() };
  const member = (tenantId: string, role = 'viewer'): RequestMeta => ({
    correlationId: randomUUID(),
    actor: { type: 'user', id: randomUUID() },
    tenantId,
    roles: [role],
  });
  const admin: RequestMeta = { correlationId: randomUUID(), actor: owner, tenantId: null, roles: ['platform-admin'] };
  const list = (meta: RequestMeta, filters: Record<string, unknown> = {}) =>
    rpc.request<AuditPage>(AUDIT.list, filters, meta);
  const refusal = (meta: RequestMeta, filters: Record<string, unknown>) =>
    list(meta, filters).then(
      () => undefined,
      (error: CaasError) => ({ code: error.code, fields: error.extra.violations?.map((v) => `${v.field}:${v.rule}`) }),
    );

  interface Change {
    readonly context: string;
    readonly type: string;
    readonly stream: string;
    readonly tenantId: string | null;
    readonly actor: Actor;
    readonly command: string;
    readonly correlationId: string;
    readonly created?: string;
    readonly id?: string;
    readonly msgID?: string;
  }

  /** Publishes one event the way a relay does: Nats-Msg-Id the event id unless told otherwise. */
  async function publish(change: Change): Promise<string> {
    const id = change.id ?? randomUUID();
    const event: IntegrationEvent = {
      id,
      type: change.type,
      streamId: change.stream,
      revision: '0',
      position: '0',
      data: { tenantId: change.tenantId, note: change.type },
      metadata: {
        tenantId: change.tenantId,
        actor: change.actor,
        command: change.command,
        correlationId: change.correlationId,
        causationId: change.correlationId,
        schemaVersion: 1,
      },
      created: change.created ?? new Date().toISOString(),
    };
    await nc.jetstream().publish(eventSubject(change.context, change.type), encodeIntegrationEvent(event), {
      msgID: change.msgID ?? id,
      headers: integrationEventHeaders(event),
    });
    return id;
  }

  /** The page once it holds `count` items (the consumer stores asynchronously). */
  const settledList = (meta: RequestMeta, filters: Record<string, unknown>, count: number) =>
    eventually(
      () => list(meta, filters),
      (page) => page.items.length >= count,
    );

  @Module({})
  class AuditTestModule {}

  beforeAll(async () => {
    database = await createScratchDatabase('caas_monitoring');
    nats = (await startPrivateNats({ jetstream: true }))!;
    nc = await connect({ servers: nats.url });
    await ensureEventsStream(await nc.jetstreamManager());
    pool = new Pool({ connectionString: database.url, max: 4 });
    dataSource = await openMonitoringDatabase(database.url);
    store = await connectEventStore({ databaseUrl: database.url });
    consumer = auditLogConsumer(nc, pool);
    await consumer.start();
    app = await NestFactory.createMicroservice(
      {
        module: AuditTestModule,
        controllers: [AuditHandlers],
        providers: [
          { provide: MONITORING_DATA_SOURCE, useValue: dataSource },
          { provide: EVENT_STORE, useValue: store },
        ],
      },
      { ...serviceTransport(nats.url, 'monitoring', 50), logger: ['error'] },
    );
    await app.listen();
    proxy = ClientProxyFactory.create({ transport: Transport.NATS, options: { servers: [nats.url] } });
    await proxy.connect();
    rpc = new RpcClient(proxy, 15_000);
  });

  afterAll(async () => {
    await consumer?.stop();
    await app?.close();
    await proxy?.close();
    await nc?.drain();
    await store?.close();
    await dataSource?.destroy();
    await pool?.end();
    await nats?.stop();
    await database?.drop();
  });

  const renameA = randomUUID();
  const containerA = randomUUID();
  const changes: Change[] = [
    {
      context: 'tenancy',
      type: 'TenantCreated',
      stream: `tenant-${tenantA}`,
      tenantId: tenantA,
      actor: owner,
      command: 'CreateTenant',
      correlationId: randomUUID(),
      created: '2026-11-20T10:00:00.000Z',
    },
    {
      context: 'tenancy',
      type: 'TenantRenamed',
      stream: `tenant-${tenantA}`,
      tenantId: tenantA,
      actor: owner,
      command: 'RenameTenant',
      correlationId: renameA,
      created: '2026-11-21T10:00:00.000Z',
    },
    {
      context: 'scheduling',
      type: 'ContainerScheduled',
      stream: `container-${containerA}`,
      tenantId: tenantA,
      actor: robot,
      command: 'ScheduleContainer',
      correlationId: randomUUID(),
      created: '2026-11-22T10:00:00.000Z',
    },
    {
      context: 'tenancy',
      type: 'TenantCreated',
      stream: `tenant-${tenantB}`,
      tenantId: tenantB,
      actor: { type: 'user', id: randomUUID() },
      command: 'CreateTenant',
      correlationId: randomUUID(),
      created: '2026-11-22T11:00:00.000Z',
    },
    {
      context: 'tenancy',
      type: 'UserRegistered',
      stream: `user-${randomUUID()}`,
      tenantId: null,
      actor: { type: 'system', id: 'anonymous' },
      command: 'RegisterUser',
      correlationId: randomUUID(),
      created: '2026-11-22T12:00:00.000Z',
    },
  ];
  const ids: string[] = [];

  beforeAll(async () => {
    for (const change of changes) ids.push(await publish(change));
    await settledList(admin, {}, changes.length);
  });

  it('shows a tenant every change of its own, newest first, with actor, time, command and correlation id', async () => {
    const page = await list(member(tenantA));
    expect(page.items.map((event) => event.id)).toEqual([ids[2], ids[1], ids[0]]);
    expect(page.nextBefore).toBeNull();
    const renamed = page.items[1];
    expect(renamed).toEqual<PublicEvent>({
      id: ids[1],
      sequence: expect.any(Number),
      type: 'TenantRenamed',
      context: 'tenancy',
      schemaVersion: 1,
      tenantId: tenantA,
      stream: `tenant-${tenantA}`,
      revision: '0',
      created: '2026-11-21T10:00:00.000Z',
      actor: owner,
      command: 'RenameTenant',
      correlationId: renameA,
      causationId: renameA,
      data: { tenantId: tenantA, note: 'TenantRenamed' },
    });
    expect(page.items[0].actor).toEqual(robot);
  });

  it('shows another tenant none of it, and a platform admin everything or one tenant', async () => {
    expect((await list(member(tenantB))).items.map((event) => event.id)).toEqual([ids[3]]);
    expect((await list(member(tenantB), { correlationId: renameA })).items).toEqual([]);
    expect((await list(admin)).items.map((event) => event.id)).toEqual([...ids].reverse());
    expect((await list(admin, { tenantId: tenantB })).items.map((event) => event.id)).toEqual([ids[3]]);
    // A member naming another tenant is told it does not exist.
    expect(await refusal(member(tenantB), { tenantId: tenantA })).toEqual({ code: 'not_found', fields: undefined });
    // No tenant role: not a member.
    expect(await refusal({ ...member(tenantA), roles: [] }, {})).toEqual({ code: 'not_found', fields: undefined });
  });

  it('filters by actor, actor type, type, command, context, stream, correlation id and time', async () => {
    const idsOf = async (filters: Record<string, unknown>) =>
      (await list(member(tenantA), filters)).items.map((event) => event.id);
    expect(await idsOf({ actor: owner.id })).toEqual([ids[1], ids[0]]);
    expect(await idsOf({ actorType: 'api-key' })).toEqual([ids[2]]);
    expect(await idsOf({ type: 'TenantRenamed' })).toEqual([ids[1]]);
    expect(await idsOf({ command: 'ScheduleContainer' })).toEqual([ids[2]]);
    expect(await idsOf({ context: 'scheduling' })).toEqual([ids[2]]);
    expect(await idsOf({ stream: `tenant-${tenantA}` })).toEqual([ids[1], ids[0]]);
    expect(await idsOf({ correlationId: renameA })).toEqual([ids[1]]);
    expect(await idsOf({ from: '2026-11-21T00:00:00Z', to: '2026-11-21T23:59:59Z' })).toEqual([ids[1]]);
    expect(await idsOf({ from: '2026-11-21T10:00:00.000Z' })).toEqual([ids[2], ids[1]]);
    expect(await idsOf({ actor: owner.id, type: 'ContainerScheduled' })).toEqual([]);
  });

  it('pages newest first by sequence, every change once', async () => {
    const seen: string[] = [];
    let before: number | null | undefined;
    for (let pages = 0; before !== null; pages++) {
      expect(pages).toBeLessThan(changes.length);
      const page = await list(admin, { limit: 2, ...(before ? { before } : {}) });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((event) => event.id));
      before = page.nextBefore;
    }
    expect(seen).toEqual([...ids].reverse());
  });

  it('stores an event delivered again under a new message id once', async () => {
    const change: Change = {
      context: 'images',
      type: 'RepositoryCreated',
      stream: `repository-${randomUUID()}`,
      tenantId: tenantA,
      actor: owner,
      command: 'CreateRepository',
      correlationId: randomUUID(),
    };
    const id = await publish(change);
    // A relay that restarted after JetStream's duplicate window publishes it again.
    await publish({ ...change, id, msgID: randomUUID() });
    // Both copies are behind this one in the stream: once it is stored, both were handled.
    const marker = await publish({ ...change, type: 'RepositoryUpdated', command: 'UpdateRepository' });
    const page = await eventually(
      () => list(member(tenantA), { context: 'images' }),
      (found) => found.items.some((event) => event.id === marker),
    );
    expect(page.items.map((event) => event.id)).toEqual([marker, id]);
  });

  it('refuses bad filters naming the field and the rule', async () => {
    expect(await refusal(member(tenantA), { limit: 201 })).toEqual({ code: 'validation', fields: ['limit:max'] });
    expect(await refusal(member(tenantA), { limit: '0' })).toEqual({ code: 'validation', fields: ['limit:min'] });
    expect(await refusal(member(tenantA), { from: 'yesterday' })).toEqual({
      code: 'validation',
      fields: ['from:isIso8601'],
    });
    expect(await refusal(member(tenantA), { actorType: 'robot' })).toEqual({
      code: 'validation',
      fields: ['actorType:isIn'],
    });
    expect(await refusal(member(tenantA), { before: 'abc' })).toMatchObject({ code: 'validation' });
    expect(await refusal(member(tenantA), { color: 'red' })).toEqual({
      code: 'validation',
      fields: ['color:whitelistValidation'],
    });
  });
});
