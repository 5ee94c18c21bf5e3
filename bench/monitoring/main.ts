/**
 * Dashboard freshness benchmark (issue 7, point 5): how long after an integration event
 * is published the tenant dashboard shows it.
 *
 *   npm run bench:monitoring
 *   # = node -r @swc-node/register bench/monitoring/main.ts, with .local/env loaded
 *
 * Setup: a private nats-server with JetStream (CAAS_EVENTS), a scratch PostgreSQL
 * database with the monitoring read model, and the dashboard's NATS handlers in this
 * process (no tenancy or billing listens: their asks fail at once with "no responders",
 * so the query's time is the dashboard's own).
 *
 * Per load — BENCH_RATES (20/s and 50/s, each for BENCH_SECONDS = 10 s) and a burst of
 * BENCH_BURST (1000) published at once — scheduling events (ContainerScheduled, Started,
 * Stopped, … of BENCH_TENANTS = 10 tenants' containers) are published and each is timed
 * from just before its publish until it is visible:
 *   dashboard  the real `monitoring-dashboard` consumer (fresh durable, deliver new) and
 *              its projection; visible = the tenant's dashboard, asked over NATS request/
 *              reply every BENCH_POLL_MS (20) per tenant with an unseen event, shows a
 *              lastEventSequence at or past the event's;
 *   baseline   the same consumer (dashboardConsumer, batches too) whose handler does nothing (it
 *              only claims the event in messaging.processed_events); visible = a loop
 *              polling processed_events every BENCH_POLL_MS finds the event's id.
 * The two run one after the other on the same events' shape, never at the same time.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { MONITORING_DASHBOARD, type TenantDashboardView } from '@caas/contracts';
import {
  type IntegrationEvent,
  encodeIntegrationEvent,
  ensureEventsStream,
  eventSubject,
  integrationEventHeaders,
} from '@caas/messaging';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';
import { RpcClient } from '@caas/messaging/src/rpc/rpc-client';
import { serviceTransport } from '@caas/messaging/src/rpc/service-transport';
import { createScratchDatabase, seededRandom, startPrivateNats } from '@caas/testing';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ClientProxyFactory, Transport } from '@nestjs/microservices';
import { type NatsConnection, connect } from 'nats';
import { Pool } from 'pg';
import { dashboardConsumer } from '../../services/monitoring/src/dashboard/dashboard.consumer';
import { DashboardHandlers } from '../../services/monitoring/src/dashboard/dashboard.handlers';
import { openMonitoringDatabase } from '../../services/monitoring/src/read-model/monitoring-database';
import { MONITORING_CONFIG, MONITORING_DATA_SOURCE } from '../../services/monitoring/src/shared/tokens';

const RATES = (process.env.BENCH_RATES ?? '20,50').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const BURST = Number(process.env.BENCH_BURST ?? 1000);
const TENANTS = Number(process.env.BENCH_TENANTS ?? 10);
/** How often a watcher looks: the resolution of every figure (both modes alike). */
const POLL_MS = Number(process.env.BENCH_POLL_MS ?? 20);

type Mode = 'dashboard' | 'baseline';
type Load = { name: string; rate: number | 'burst'; events: number };

interface Pending {
  readonly id: string;
  readonly tenantId: string;
  readonly publishedAt: number;
  sequence?: number;
  seenAt?: number;
}

@Module({})
class BenchModule {}

async function main(): Promise<void> {
  const nats = await startPrivateNats({ jetstream: true });
  if (!nats) throw new Error('nats-server not found: npm run infra:up');
  const database = await createScratchDatabase('caas_bench_monitoring');
  const nc = await connect({ servers: nats.url, name: 'bench-monitoring' });
  await ensureEventsStream(await nc.jetstreamManager());
  const pool = new Pool({ connectionString: database.url, max: 8 });
  const dataSource = await openMonitoringDatabase(database.url);
  const app = await NestFactory.createMicroservice(
    {
      module: BenchModule,
      controllers: [DashboardHandlers],
      providers: [
        { provide: MONITORING_DATA_SOURCE, useValue: dataSource },
        { provide: MONITORING_CONFIG, useValue: { natsUrl: nats.url, databaseUrl: database.url } },
      ],
    },
    { ...serviceTransport(nats.url, 'monitoring', 100), logger: ['error'] },
  );
  await app.listen();
  const proxy = ClientProxyFactory.create({ transport: Transport.NATS, options: { servers: [nats.url] } });
  await proxy.connect();
  const rpc = new RpcClient(proxy, 10_000);
  const tenants = Array.from({ length: TENANTS }, () => randomUUID());
  const workload = new Workload(tenants, seededRandom(75));

  const loads: Load[] = [
    ...RATES.map((rate) => ({ name: `${rate}/s for ${SECONDS} s`, rate, events: rate * SECONDS })),
    { name: `burst of ${BURST}`, rate: 'burst' as const, events: BURST },
  ];
  const results: Array<{ load: Load; mode: Mode; stats: Stats }> = [];
  try {
    for (const load of loads) {
      for (const mode of ['baseline', 'dashboard'] as const) {
        const stats = await run(mode, load, { nc, pool, rpc, workload, tenants });
        results.push({ load, mode, stats });
        console.log(`${load.name.padEnd(18)} ${mode.padEnd(9)} ${describe(stats)}`);
      }
    }
    console.log('\nPublish → visible (ms), dashboard against a consumer that only claims the event\n');
    console.log('| load | events | baseline p50 / p99 / max | dashboard p50 / p99 / max | p50 ratio | p99 ratio |');
    console.log('|---|---|---|---|---|---|');
    for (const load of loads) {
      const base = results.find((r) => r.load === load && r.mode === 'baseline')!.stats;
      const dash = results.find((r) => r.load === load && r.mode === 'dashboard')!.stats;
      console.log(
        `| ${load.name} | ${load.events} | ${triple(base)} | ${triple(dash)} | ${ratio(dash.p50, base.p50)} | ${ratio(dash.p99, base.p99)} |`,
      );
    }
  } finally {
    await proxy.close();
    await app.close();
    await nc.drain();
    await dataSource.destroy();
    await pool.end();
    await nats.stop();
    await database.drop();
  }
}

interface Context {
  readonly nc: NatsConnection;
  readonly pool: Pool;
  readonly rpc: RpcClient;
  readonly workload: Workload;
  readonly tenants: string[];
}

async function run(mode: Mode, load: Load, context: Context): Promise<Stats> {
  const { nc, pool } = context;
  const report = () => (error: unknown) => console.error(`consumer: ${String(error)}`);
  const durable = `bench-${mode}-${randomUUID().slice(0, 8)}`;
  const consumer =
    mode === 'dashboard'
      ? dashboardConsumer({ nc, pool, report }, { durable, deliverPolicy: 'new' })
      : dashboardConsumer({ nc, pool, report }, { durable, deliverPolicy: 'new', handle: async () => undefined });
  await consumer.start();
  const pending: Pending[] = [];
  let done = false;
  const watcher =
    mode === 'dashboard'
      ? watchDashboards(context, pending, () => done)
      : watchClaims(context, durable, pending, () => done);
  try {
    const publishOne = async () => {
      const { tenantId, event } = context.workload.next();
      const entry: Pending = { id: event.id, tenantId, publishedAt: performance.now() };
      pending.push(entry);
      const ack = await nc.jetstream().publish(eventSubject('scheduling', event.type), encodeIntegrationEvent(event), {
        msgID: event.id,
        headers: integrationEventHeaders(event),
      });
      entry.sequence = ack.seq;
    };
    if (load.rate === 'burst') {
      await Promise.all(Array.from({ length: load.events }, publishOne));
    } else {
      const interval = 1000 / load.rate;
      const start = performance.now();
      for (let i = 0; i < load.events; i += 1) {
        const due = start + i * interval;
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
        void publishOne();
      }
    }
    const deadline = performance.now() + 60_000;
    while (pending.some((entry) => entry.seenAt === undefined)) {
      if (performance.now() > deadline) throw new Error(`${mode}: events not visible within 60 s`);
      await sleep(20);
    }
  } finally {
    done = true;
    await watcher;
    await consumer.stop();
    await (await nc.jetstreamManager()).consumers.delete('CAAS_EVENTS', durable).catch(() => undefined);
  }
  return stats(pending.map((entry) => entry.seenAt! - entry.publishedAt));
}

/**
 * One loop per tenant asking its dashboard every POLL_MS while it has an event not yet
 * shown (as a browser refreshing would; idle tenants are not asked, so the polling does
 * not load the database the consumer writes to more than it must).
 */
async function watchDashboards(context: Context, pending: Pending[], stop: () => boolean): Promise<void> {
  await Promise.all(
    context.tenants.map(async (tenantId) => {
      const meta: RequestMeta = {
        correlationId: 'bench',
        actor: { type: 'user', id: 'bench' },
        tenantId,
        roles: ['viewer'],
      };
      const waiting = () =>
        pending.filter(
          (entry) => entry.tenantId === tenantId && entry.seenAt === undefined && entry.sequence !== undefined,
        );
      while (!stop()) {
        if (waiting().length > 0) {
          const view = await context.rpc.request<TenantDashboardView>(MONITORING_DASHBOARD.tenant, {}, meta);
          const now = performance.now();
          const shown = view.lastEventSequence ?? 0;
          for (const entry of waiting()) if (entry.sequence! <= shown) entry.seenAt = now;
        }
        await sleep(POLL_MS);
      }
    }),
  );
}

/** Polls the claims of the baseline consumer; one query for every event not yet seen. */
async function watchClaims(context: Context, durable: string, pending: Pending[], stop: () => boolean): Promise<void> {
  while (!stop()) {
    const waiting = pending.filter((entry) => entry.seenAt === undefined);
    if (waiting.length > 0) {
      const { rows } = await context.pool.query<{ event_id: string }>(
        'select event_id from messaging.processed_events where consumer = $1 and event_id = any($2)',
        [durable, waiting.map((entry) => entry.id)],
      );
      const now = performance.now();
      const seen = new Set(rows.map((row) => row.event_id));
      for (const entry of waiting) if (seen.has(entry.id)) entry.seenAt = now;
    }
    await sleep(POLL_MS);
  }
}

/** Each tenant's containers going through their lifecycle, one event at a time. */
class Workload {
  private readonly containers: Array<{ tenantId: string; containerId: string; revision: number }> = [];

  constructor(
    private readonly tenants: string[],
    private readonly random: () => number,
  ) {}

  next(): { tenantId: string; event: IntegrationEvent } {
    const tenantId = this.tenants[Math.floor(this.random() * this.tenants.length)];
    let container = this.containers.find((c) => c.tenantId === tenantId && c.revision < 6);
    if (!container || this.random() < 0.2) {
      container = { tenantId, containerId: randomUUID(), revision: 0 };
      this.containers.push(container);
    }
    const types = [
      'ContainerScheduled',
      'ContainerStarted',
      'ContainerStopRequested',
      'ContainerStopped',
      'ContainerStartRequested',
      'ContainerStarted',
    ];
    const type = types[container.revision];
    const id = randomUUID();
    const event: IntegrationEvent = {
      id,
      type,
      streamId: `container-${container.containerId}`,
      revision: String(container.revision),
      position: '0',
      data: {
        tenantId,
        environmentId: 'bench',
        containerId: container.containerId,
        serviceId: null,
        replica: null,
        hostId: 'bench-host',
        resources: { cpus: 0.25, memoryMb: 128, pidsLimit: 128 },
        image: 'caas/busybox:1',
        ports: [],
        reason: 'requested',
        timeoutSeconds: null,
        at: new Date().toISOString(),
      },
      metadata: { tenantId, correlationId: id, causationId: id, schemaVersion: 1 },
      created: new Date().toISOString(),
    };
    container.revision += 1;
    return { tenantId, event };
  }
}

interface Stats {
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

function stats(latencies: number[]): Stats {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  return { count: sorted.length, p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1] };
}

const ms = (value: number) => value.toFixed(1);
const triple = (s: Stats) => `${ms(s.p50)} / ${ms(s.p99)} / ${ms(s.max)}`;
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
const describe = (s: Stats) => `n=${s.count} p50=${ms(s.p50)} ms p99=${ms(s.p99)} ms max=${ms(s.max)} ms`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
