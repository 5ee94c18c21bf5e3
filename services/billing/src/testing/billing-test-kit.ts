import { randomUUID } from 'node:crypto';
import { ensureEventsStream } from '@caas/messaging';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';
import { RpcClient } from '@caas/messaging/src/rpc/rpc-client';
import { type PrivateNats, type ScratchDatabase, createScratchDatabase, startPrivateNats } from '@caas/testing';
import { type ClientProxy, ClientProxyFactory, Transport } from '@nestjs/microservices';
import { type NatsConnection, connect } from 'nats';
import { Pool } from 'pg';
import type { BillingConfig } from '../billing.config';
import { type RunningBilling, startBilling } from '../main';

/**
 * Billing in-process on a scratch database and a JetStream server of the spec's own, a
 * clock the spec sets, an RPC client as the gateway has, and a NATS connection to
 * publish other contexts' facts with (see metering/test-support/publish-fact.ts).
 */
export interface BillingUnderTest {
  readonly database: ScratchDatabase;
  readonly nats: PrivateNats;
  readonly nc: NatsConnection;
  billing: RunningBilling;
  readonly rpc: RpcClient;
  /** The billing clock's time: set it, then `billing.closeAndIssue()`. */
  now: Date;
  /** Reads (or, for a rebuild, clears) the scratch database directly. */
  query(sql: string, params?: unknown[]): Promise<Array<Record<string, unknown>>>;
  /** Stops billing, runs `meanwhile` (if any), starts it again. */
  restart(meanwhile?: () => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

export async function startBillingForTest(config: Partial<BillingConfig> = {}): Promise<BillingUnderTest> {
  const database = await createScratchDatabase('caas_billing');
  const nats = await startPrivateNats({ jetstream: true });
  if (!nats) throw new Error('billing specs need a nats-server binary (JetStream): run `npm run infra:up`');
  const nc = await connect({ servers: nats.url });
  await ensureEventsStream(await nc.jetstreamManager());
  const proxy: ClientProxy = ClientProxyFactory.create({ transport: Transport.NATS, options: { servers: [nats.url] } });
  await proxy.connect();
  const pool = new Pool({ connectionString: database.url, max: 2 });
  const start = () =>
    startBilling({
      databaseUrl: database.url,
      natsUrl: nats.url,
      // The spec drives every round itself.
      clockIntervalMs: 3_600_000,
      now: () => kit.now,
      shutdownGraceMs: 50,
      logLevels: ['error'],
      ...config,
    });
  const kit: BillingUnderTest = {
    database,
    nats,
    nc,
    billing: undefined as unknown as RunningBilling,
    rpc: new RpcClient(proxy, 15_000),
    now: new Date(),
    query: async (sql, params) => (await pool.query(sql, params)).rows,
    async restart(meanwhile) {
      await kit.billing.close();
      await meanwhile?.();
      kit.billing = await start();
    },
    async close() {
      await kit.billing?.close();
      await proxy.close();
      await pool.end();
      await nc.drain();
      await nats.stop();
      await database.drop();
    },
  };
  kit.billing = await start();
  return kit;
}

/** A member of `tenantId` with `role`, as the gateway sends it. */
export const tenantMeta = (tenantId: string, role = 'owner'): RequestMeta => ({
  correlationId: randomUUID(),
  actor: { type: 'user', id: randomUUID() },
  tenantId,
  roles: [role],
});

/** A platform user with `roles` (finance, platform-admin), no tenant. */
export const platformMeta = (...roles: string[]): RequestMeta => ({
  correlationId: randomUUID(),
  actor: { type: 'user', id: randomUUID() },
  tenantId: null,
  roles,
});
