import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { CaasError, MONITORING_DASHBOARD, type PlatformDashboardView, type TenantDashboardView } from '@caas/contracts';
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
  seededRandom,
  startPrivateNats,
} from '@caas/testing';
import { type INestMicroservice, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type ClientProxy, ClientProxyFactory, Transport } from '@nestjs/microservices';
import { type NatsConnection, connect } from 'nats';
import { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { openMonitoringDatabase } from '../read-model/monitoring-database';
import { MONITORING_CONFIG, MONITORING_DATA_SOURCE } from '../shared/tokens';
import { startDashboardConsumer } from './dashboard.consumer';
import { DashboardHandlers } from './dashboard.handlers';

/*
 * Scheduling's and tenancy's public events published on a real JetStream (as their relays
 * publish them), applied by the `monitoring-dashboard` consumer to a real PostgreSQL and
 * read back over NATS as the gateway asks. No tenancy or billing listens on this private
 * NATS: the dashboard falls back to its projected plan and shows the bill as unavailable.
 */
describe('the dashboards (real NATS JetStream and PostgreSQL)', () => {
  let database: ScratchDatabase;
  let nats: PrivateNats;
  let nc: NatsConnection;
  let pool: Pool;
  let dataSource: DataSource;
  let consumer: JetStreamConsumer;
  let app: INestMicroservice;
  let proxy: ClientProxy;
  let rpc: RpcClient;

  const member = (tenantId: string, role = 'viewer'): RequestMeta => ({
    correlationId: randomUUID(),
    actor: { type: 'user', id: randomUUID() },
    tenantId,
    roles: [role],
  });
  const admin: RequestMeta = {
    correlationId: randomUUID(),
    actor: { type: 'user', id: randomUUID() },
    tenantId: null,
    roles: ['platform-admin'],
  };
  const tenantDashboard = (meta: RequestMeta) =>
    rpc.request<TenantDashboardView>(MONITORING_DASHBOARD.tenant, {}, meta);
  const platformDashboard = (meta: RequestMeta, payload: object = {}) =>
    rpc.request<PlatformDashboardView>(MONITORING_DASHBOARD.platform, payload, meta);
  const refusal = (attempt: Promise<unknown>) =>
    attempt.then(
      () => undefined,
      (error: CaasError) => ({ code: error.code, fields: error.extra.violations?.map((v) => `${v.field}:${v.rule}`) }),
    );

  interface Published {
    readonly context: string;
    readonly type: string;
    readonly stream: string;
    readonly revision: number;
    readonly data: object;
    readonly tenantId: string | null;
    readonly id?: string;
    readonly msgID?: string;
  }

  /** Publishes one event the way a relay does; answers its stream sequence. */
  async function publish(change: Published): Promise<number> {
    const id = change.id ?? randomUUID();
    const event: IntegrationEvent = {
      id,
      type: change.type,
      streamId: change.stream,
      revision: String(change.revision),
      position: '0',
      data: change.data,
      metadata: { tenantId: change.tenantId, correlationId: id, causationId: id, schemaVersion: 1 },
      created: new Date().toISOString(),
    };
    const ack = await nc.jetstream().publish(eventSubject(change.context, change.type), encodeIntegrationEvent(event), {
      msgID: change.msgID ?? id,
      headers: integrationEventHeaders(event),
    });
    return ack.seq;
  }

  /** A stream of events of one entity, each at the next revision. */
  function stream(context: string, name: string, tenantId: string | null) {
    let revision = 0;
    const events: Published[] = [];
    return {
      events,
      next(type: string, data: object): Published {
        const event = { context, type, stream: name, revision: revision++, data, tenantId };
        events.push(event);
        return event;
      },
    };
  }

  const RESOURCES = { cpus: 0.25, memoryMb: 64, pidsLimit: 128 };
  const CAPACITY = { cpus: 4, memoryMb: 8192 };
  const at = () => new Date().toISOString();

  function containerOf(tenantId: string, hostId: string, serviceId: string | null = null) {
    const containerId = randomUUID();
    const events = stream('scheduling', `container-${containerId}`, tenantId);
    const fact = {
      tenantId,
      environmentId: 'env',
      containerId,
      serviceId,
      replica: serviceId ? 0 : null,
      hostId,
      resources: RESOURCES,
    };
    return {
      containerId,
      events: events.events,
      scheduled: () => events.next('ContainerScheduled', { ...fact, image: 'caas/busybox:1', ports: [], at: at() }),
      started: () => events.next('ContainerStarted', { ...fact, at: at() }),
      stopRequested: () =>
        events.next('ContainerStopRequested', { ...fact, reason: 'requested', timeoutSeconds: null, at: at() }),
      startRequested: () => events.next('ContainerStartRequested', { ...fact, at: at() }),
      stopped: () => events.next('ContainerStopped', { ...fact, reason: 'requested', at: at() }),
      deleteRequested: () =>
        events.next('ContainerDeleteRequested', { ...fact, reason: 'requested', timeoutSeconds: null, at: at() }),
      removed: () => events.next('ContainerRemoved', { ...fact, reason: 'requested', at: at() }),
    };
  }

  function hostOf() {
    const hostId = randomUUID();
    const events = stream('scheduling', `host-${hostId}`, null);
    const fact = { tenantId: null, hostId, capacity: CAPACITY };
    return {
      hostId,
      registered: () =>
        events.next('HostRegistered', {
          ...fact,
          endpoint: 'unix:///tmp/x.sock',
          environmentId: 'shared',
          labels: {},
          dedicatedTenantId: null,
          at: at(),
        }),
      drained: () => events.next('HostDrained', { ...fact, at: at() }),
      down: () => events.next('HostDown', { ...fact, lastSeenAt: at(), at: at() }),
    };
  }

  function tenantOf(planId: string) {
    const tenantId = randomUUID();
    const events = stream('tenancy', `tenant-${tenantId}`, tenantId);
    return {
      tenantId,
      created: () =>
        events.next('TenantCreated', { tenantId, name: `t-${tenantId.slice(0, 8)}`, planId, ownerUserId: 'u' }),
      planChanged: (to: string) => events.next('TenantPlanChanged', { tenantId, planId: to, effectiveAt: at() }),
    };
  }

  /** Publishes a marker of the tenant's and waits until its dashboard shows it: everything before is applied too. */
  async function settled(tenantId: string): Promise<TenantDashboardView> {
    const sequence = await publish({
      context: 'tenancy',
      type: 'EnvironmentCreated',
      stream: `tenant-${tenantId}`,
      revision: 999_999,
      data: { tenantId, environmentId: randomUUID(), name: 'marker' },
      tenantId,
    });
    return eventually(
      () => tenantDashboard(member(tenantId)),
      (view) => view.lastEventSequence === sequence,
      { timeoutMs: 15_000, intervalMs: 50 },
    );
  }

  const planId = `plan${randomUUID().slice(0, 8)}`;
  const QUOTAS = {
    maxContainers: 3,
    maxVcpu: 8,
    maxMemoryMb: 4096,
    maxVolumeGb: 1,
    maxConcurrentBuilds: 1,
    maxImageStorageMb: 100,
  };

  @Module({})
  class DashboardTestModule {}

  beforeAll(async () => {
    database = await createScratchDatabase('caas_monitoring');
    nats = (await startPrivateNats({ jetstream: true }))!;
    nc = await connect({ servers: nats.url });
    await ensureEventsStream(await nc.jetstreamManager());
    pool = new Pool({ connectionString: database.url, max: 4 });
    dataSource = await openMonitoringDatabase(database.url);
    consumer = await startDashboardConsumer({ nc, pool, report: () => () => undefined });
    app = await NestFactory.createMicroservice(
      {
        module: DashboardTestModule,
        controllers: [DashboardHandlers],
        providers: [
          { provide: MONITORING_DATA_SOURCE, useValue: dataSource },
          { provide: MONITORING_CONFIG, useValue: { natsUrl: nats.url, databaseUrl: database.url } },
        ],
      },
      { ...serviceTransport(nats.url, 'monitoring', 50), logger: ['error'] },
    );
    await app.listen();
    proxy = ClientProxyFactory.create({ transport: Transport.NATS, options: { servers: [nats.url] } });
    await proxy.connect();
    rpc = new RpcClient(proxy, 15_000);
    await publish({
      context: 'tenancy',
      type: 'PlanDefined',
      stream: `plan-${planId}`,
      revision: 0,
      data: { planId, name: 'Small', quotas: QUOTAS },
      tenantId: null,
    });
  });

  afterAll(async () => {
    await consumer?.stop();
    await app?.close();
    await proxy?.close();
    await nc?.drain();
    await dataSource?.destroy();
    await pool?.end();
    await nats?.stop();
    await database?.drop();
  });

  it('counts containers, services and hosts by state and usage against the plan from the events', async () => {
    const tenant = tenantOf(planId);
    const [h1, h2] = [hostOf(), hostOf()];
    const running = containerOf(tenant.tenantId, h1.hostId);
    const stopped = containerOf(tenant.tenantId, h2.hostId);
    const deleted = containerOf(tenant.tenantId, h1.hostId);
    const serviceId = randomUUID();
    const service = stream('scheduling', `service-${serviceId}`, tenant.tenantId);
    const serviceFact = { tenantId: tenant.tenantId, environmentId: 'env', serviceId, at: at() };
    const replicaA = containerOf(tenant.tenantId, h1.hostId, serviceId);
    const replicaB = containerOf(tenant.tenantId, h2.hostId, serviceId);
    const events = [
      tenant.created(),
      h1.registered(),
      h2.registered(),
      h2.drained(),
      running.scheduled(),
      running.started(),
      stopped.scheduled(),
      stopped.started(),
      stopped.stopRequested(),
      stopped.stopped(),
      deleted.scheduled(),
      deleted.deleteRequested(),
      deleted.removed(),
      service.next('ServiceCreated', { ...serviceFact, name: 'web', replicas: 2, resources: RESOURCES, revision: 1 }),
      replicaA.scheduled(),
      replicaA.started(),
      replicaB.scheduled(),
      service.next('ServiceUpdated', { ...serviceFact, revision: 2, previousRevision: 1, resources: RESOURCES }),
    ];
    for (const event of events) await publish(event);

    const view = await settled(tenant.tenantId);
    expect(view.containers).toEqual({ total: 4, pending: 0, scheduled: 1, running: 2, stopped: 1, exited: 0 });
    expect(view.services).toEqual({
      total: 1,
      idle: 0,
      rolling: 1,
      'rolled-back': 0,
      replicas: { desired: 2, running: 1 },
    });
    // h1 runs `running` and replica A; h2 (drained) the stopped container and replica B.
    expect(view.hosts).toEqual({ total: 2, up: 1, down: 0, draining: 1, removed: 0 });
    // Standalone not deleted (2) + the service's desired replicas (2), as scheduling's quota counts.
    expect(view.usage).toEqual({
      planId,
      planName: 'Small',
      planSource: 'projected',
      limits: [
        { limit: 'maxContainers', used: 4, allowed: 3 },
        { limit: 'maxVcpu', used: 1, allowed: 8 },
        { limit: 'maxMemoryMb', used: 256, allowed: 4096 },
      ],
      limitsExceeded: ['maxContainers'],
    });
    expect(view.monthToDateCost).toBeNull();
    expect(view.monthToDateCostUnavailable).toBe('billing is not running');
    expect(view.recentEvents.length).toBe(16); // 15 of the tenant's and the marker; hosts are nobody's
    expect(view.recentEvents[0].sequence).toBe(view.lastEventSequence);
    const sequences = view.recentEvents.map((event) => event.sequence);
    expect(sequences).toEqual([...sequences].sort((a, b) => b - a));
    // Hosts are the platform's (tenantId null): never among a tenant's events.
    expect(view.recentEvents.every((event) => event.tenantId === tenant.tenantId)).toBe(true);

    // A plan change counts at once.
    await publish(tenant.planChanged('unknown-plan'));
    const after = await settled(tenant.tenantId);
    expect(after.usage).toMatchObject({ planId: 'unknown-plan', planSource: 'unknown', limits: [] });
  });

  it('ends in stream order however the events arrive, and ignores redeliveries and stale copies', async () => {
    const tenant = tenantOf(planId);
    await publish(tenant.created());
    const host = hostOf();
    const random = seededRandom(7);
    const shuffled = <T>(items: T[]) =>
      items
        .map((item) => ({ item, key: random() }))
        .sort((a, b) => a.key - b.key)
        .map(({ item }) => item);

    // Stream order: scheduled, started, stop requested, stopped, start requested, started → running.
    const restarted = containerOf(tenant.tenantId, host.hostId);
    restarted.scheduled();
    restarted.started();
    restarted.stopRequested();
    restarted.stopped();
    restarted.startRequested();
    restarted.started();
    // Stream order ends removed.
    const gone = containerOf(tenant.tenantId, host.hostId);
    gone.scheduled();
    gone.started();
    gone.deleteRequested();
    gone.removed();
    // Stop requested after it started: desired stopped, observed running (not yet stopped).
    const stopping = containerOf(tenant.tenantId, host.hostId);
    stopping.scheduled();
    stopping.started();
    stopping.stopRequested();
    const hostEvents = [host.registered(), host.drained(), host.down()];

    const all = shuffled([...restarted.events, ...gone.events, ...stopping.events, ...hostEvents]);
    const ids = new Map<Published, string>();
    for (const event of all) {
      const id = randomUUID();
      ids.set(event, id);
      await publish({ ...event, id });
    }
    // Redelivered (same event id, a message JetStream does not drop) and stale copies (older revisions, new ids).
    for (const event of all.slice(0, 5)) await publish({ ...event, id: ids.get(event), msgID: randomUUID() });
    await publish({ ...restarted.events[3] }); // ContainerStopped, revision 3 of 5
    await publish({ ...gone.events[1] }); // ContainerStarted, revision 1 of 3

    const view = await settled(tenant.tenantId);
    expect(view.containers).toEqual({ total: 2, pending: 0, scheduled: 0, running: 2, stopped: 0, exited: 0 });
    // `stopping` is desired stopped: it still counts against the quota (only deleted ones do not).
    expect(view.usage.limits.find((limit) => limit.limit === 'maxContainers')?.used).toBe(2);
    expect(view.hosts).toEqual({ total: 1, up: 0, down: 1, draining: 0, removed: 0 });
    const rows = await dataSource.query(
      'select container_id, status, desired from monitoring.dashboard_containers where tenant_id = $1',
      [tenant.tenantId],
    );
    expect(rows).toEqual(
      expect.arrayContaining([
        { container_id: restarted.containerId, status: 'running', desired: 'running' },
        { container_id: gone.containerId, status: 'removed', desired: 'deleted' },
        { container_id: stopping.containerId, status: 'running', desired: 'stopped' },
      ]),
    );
    expect(rows).toHaveLength(3);
    // Each event id is shown once, however often it was delivered.
    const shownIds = view.recentEvents.map((event) => event.id);
    expect(new Set(shownIds).size).toBe(shownIds.length);
  });

  it('keeps the last 20 events per tenant', async () => {
    const tenant = tenantOf(planId);
    await publish(tenant.created());
    for (let i = 0; i < 25; i += 1) {
      await publish({
        context: 'tenancy',
        type: 'EnvironmentCreated',
        stream: `tenant-${tenant.tenantId}`,
        revision: i + 1,
        data: { tenantId: tenant.tenantId, environmentId: randomUUID(), name: `env-${i}` },
        tenantId: tenant.tenantId,
      });
    }
    const view = await settled(tenant.tenantId);
    expect(view.recentEvents).toHaveLength(20);
    expect(view.recentEvents.map((event) => (event.data as { name: string }).name).slice(0, 3)).toEqual([
      'marker',
      'env-24',
      'env-23',
    ]);
    const [{ kept }] = await dataSource.query(
      'select count(*)::int as kept from monitoring.dashboard_recent_events where tenant_id = $1',
      [tenant.tenantId],
    );
    expect(kept).toBe(20);
  });

  it('shows a tenant nothing of another, and the platform dashboard to platform admins only', async () => {
    const a = tenantOf(planId);
    const b = tenantOf(planId);
    const host = hostOf();
    const containers = [containerOf(a.tenantId, host.hostId), containerOf(a.tenantId, host.hostId)];
    await publish(a.created());
    await publish(b.created());
    await publish(host.registered());
    for (const container of containers) {
      await publish(container.scheduled());
      await publish(container.started());
    }
    const viewA = await settled(a.tenantId);
    expect(viewA.containers.running).toBe(2);
    const viewB = await settled(b.tenantId);
    expect(viewB.containers).toEqual({ total: 0, pending: 0, scheduled: 0, running: 0, stopped: 0, exited: 0 });
    expect(viewB.services.total).toBe(0);
    expect(viewB.hosts.total).toBe(0);
    expect(viewB.usage.limits.map((limit) => limit.used)).toEqual([0, 0, 0]);
    expect(viewB.recentEvents.every((event) => event.tenantId === b.tenantId)).toBe(true);
    const idsOfA = new Set(viewA.recentEvents.map((event) => event.id));
    expect(viewB.recentEvents.some((event) => idsOfA.has(event.id))).toBe(false);

    // No tenant role in the headers: not a member, as tenancy would say.
    expect(await refusal(tenantDashboard({ ...member(a.tenantId), roles: [] }))).toEqual({
      code: 'not_found',
      fields: undefined,
    });
    expect(await refusal(platformDashboard(member(a.tenantId, 'owner')))).toMatchObject({ code: 'forbidden' });
    expect(await refusal(platformDashboard({ ...admin, actor: { type: 'api-key', id: randomUUID() } }))).toMatchObject({
      code: 'forbidden',
    });
    expect(await refusal(platformDashboard(admin, { top: 0 }))).toEqual({ code: 'validation', fields: ['top:min'] });

    const platform = await platformDashboard(admin, { top: 100 });
    expect(platform.topTenantsByContainers).toContainEqual({
      tenantId: a.tenantId,
      name: `t-${a.tenantId.slice(0, 8)}`,
      containers: 2,
    });
    expect(platform.topTenantsByContainers.some((top) => top.tenantId === b.tenantId)).toBe(false);
    expect(platform.tenants.byPlan[planId]).toBeGreaterThanOrEqual(2);
    expect(platform.hosts.list).toContainEqual({
      hostId: host.hostId,
      environmentId: 'shared',
      status: 'up',
      capacity: CAPACITY,
      allocated: { cpus: 0.5, memoryMb: 128 },
      containers: 2,
    });
    expect(platform.eventsPerContext.lastFiveMinutes.scheduling).toBeGreaterThanOrEqual(4);
    expect(platform.eventsPerContext.lastHour.tenancy).toBeGreaterThanOrEqual(
      platform.eventsPerContext.lastFiveMinutes.tenancy,
    );
    expect(platform.lastEventSequence).toBeGreaterThanOrEqual(viewB.lastEventSequence!);
  });
});
