import 'reflect-metadata';
import { connectEventStore } from '@caas/event-store';
import { ensureEventsStream, startServiceRelay } from '@caas/messaging';
import { Closers } from '@caas/messaging/src/rpc/closers';
import { runService } from '@caas/messaging/src/rpc/run-service';
import { TypeOrmCheckpointStore } from '@caas/read-model';
import { Logger } from '@nestjs/common';
import { connect } from 'nats';
import { Pool } from 'pg';
import { BILLING_DEFAULTS, type BillingConfig, configFromEnv } from './billing.config';
import { BillingClock } from './metering/billing-clock';
import { lifecycleConsumer } from './metering/lifecycle.consumer';
import { openBillingDatabase } from './read-model/billing-database';
import { startMeteringReadModel } from './read-model/metering.read-model';

/** The categories the relay publishes (caas.events.billing.<Type>): prices. Meters stay home. */
export const RELAYED_CATEGORIES = ['pricebook'] as const;

export interface RunningBilling {
  readonly clock: BillingClock;
  close(): Promise<void>;
}

/**
 * Billing: scheduling's lifecycle events (JetStream) recorded on per-tenant meters, a
 * clock that closes the hours, and the hourly read model. Tests pass their own config
 * (and clock) and run it in-process.
 */
export async function startBilling(config: BillingConfig): Promise<RunningBilling> {
  const logger = new Logger('billing');
  const report = (what: string) => (error: unknown) =>
    logger.error(`${what}: ${error instanceof Error ? error.stack : String(error)}`);
  const closers = new Closers();
  try {
    const store = await connectEventStore({
      eventStoreConnectionString: config.eventStoreConnectionString,
      databaseUrl: config.databaseUrl,
    });
    closers.add(() => store.close());
    const dataSource = await openBillingDatabase(config.databaseUrl);
    closers.add(() => dataSource.destroy());
    const readModel = await startMeteringReadModel(store, dataSource, report('metering read model'));
    closers.add(() => readModel.stop());
    await readModel.caughtUp();

    const relay = await startServiceRelay({
      natsUrl: config.natsUrl,
      context: 'billing',
      categories: RELAYED_CATEGORIES,
      store,
      checkpoints: await TypeOrmCheckpointStore.create(dataSource),
      onError: report('relay'),
    });
    closers.add(() => relay.stop());

    const nc = await connect({ servers: config.natsUrl, name: 'billing' });
    closers.add(() => nc.drain());
    await ensureEventsStream(await nc.jetstreamManager());
    const pool = new Pool({ connectionString: config.databaseUrl, max: 4 });
    closers.add(() => pool.end());
    const consumer = lifecycleConsumer(nc, pool, store, dataSource);
    await consumer.start();
    closers.add(() => consumer.stop());

    const clock = new BillingClock({
      store,
      dataSource,
      readModel,
      graceMs: config.hourGraceMs ?? BILLING_DEFAULTS.hourGraceMs,
      now: config.now ?? (() => new Date()),
    });
    const timer = setInterval(
      () => void clock.tick().catch(report('clock')),
      config.clockIntervalMs ?? BILLING_DEFAULTS.clockIntervalMs,
    );
    closers.add(async () => clearInterval(timer));
    logger.log(`metering scheduling's lifecycle events from ${config.natsUrl}`);
    return { clock, close: () => closers.closeAll() };
  } catch (error) {
    await closers.closeAll();
    throw error;
  }
}

if (require.main === module) runService('billing', () => startBilling(configFromEnv()));
