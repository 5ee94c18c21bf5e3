import 'reflect-metadata';
import { connectEventStore } from '@caas/event-store';
import { ensureEventsStream, startServiceRelay } from '@caas/messaging';
import { Closers } from '@caas/messaging/src/rpc/closers';
import { runService } from '@caas/messaging/src/rpc/run-service';
import { ReadYourWrites, TypeOrmCheckpointStore } from '@caas/read-model';
import { serviceTransport } from '@caas/messaging/src/rpc/service-transport';
import { NestFactory } from '@nestjs/core';
import { Logger } from '@nestjs/common';
import { connect } from 'nats';
import { Pool } from 'pg';
import { BILLING_DEFAULTS, type BillingConfig, configFromEnv } from './billing.config';
import { BillingClock } from './metering/billing-clock';
import { meteringBacklog, startMeteringConsumers } from './metering/metering-consumers';
import { InvoiceIssuer } from './invoice/invoice-issuer';
import { BillingModule } from './billing.module';
import { seedPriceBooks } from './price-book/price-book.seed';
import { startInvoicingReadModel } from './read-model/invoicing.read-model';
import { openBillingDatabase } from './read-model/billing-database';
import { startMeteringReadModel } from './read-model/metering.read-model';

/** The categories the relay publishes (caas.events.billing.<Type>): prices, invoices, re-ratings. Meters stay home. */
export const RELAYED_CATEGORIES = ['pricebook', 'invoice', 'rerating'] as const;

export interface RunningBilling {
  readonly clock: BillingClock;
  readonly issuer: InvoiceIssuer;
  /** One round of the timer: closes the hours that are due, then issues the invoices of complete months. */
  closeAndIssue(): Promise<void>;
  /** Facts received from JetStream and not yet recorded on meters. */
  backlog(): Promise<number>;
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
    const invoicing = await startInvoicingReadModel(store, dataSource, report('invoicing read model'));
    closers.add(() => invoicing.stop());
    await Promise.all([readModel.caughtUp(), invoicing.caughtUp()]);
    const now = config.now ?? (() => new Date());
    await seedPriceBooks(store, now().toISOString());

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
    const consumers = await startMeteringConsumers(nc, pool, store, dataSource);
    for (const consumer of consumers) closers.add(() => consumer.stop());

    const clock = new BillingClock({
      store,
      dataSource,
      readModel,
      graceMs: config.hourGraceMs ?? BILLING_DEFAULTS.hourGraceMs,
      now,
      backlog: () => meteringBacklog(consumers),
    });
    const readYourWrites = new ReadYourWrites(store, { pricebook: invoicing, invoice: invoicing, rerating: invoicing });
    const issuer = new InvoiceIssuer(store, dataSource, readYourWrites, now, report('invoice issuer'));
    const closeAndIssue = async () => {
      await clock.tick();
      await issuer.issueDue();
    };
    // One round at a time: a slow round is not overtaken by the next.
    let round = Promise.resolve();
    const timer = setInterval(() => {
      round = round.then(closeAndIssue).catch(report('clock'));
    }, config.clockIntervalMs ?? BILLING_DEFAULTS.clockIntervalMs);
    closers.add(async () => {
      clearInterval(timer);
      await round;
    });

    const app = await NestFactory.createMicroservice(
      BillingModule.register({
        store,
        dataSource,
        now,
        readYourWrites,
      }),
      {
        ...serviceTransport(config.natsUrl, 'billing', config.shutdownGraceMs ?? 3_000),
        logger: config.logLevels ?? ['log', 'warn', 'error'],
      },
    );
    await app.listen();
    closers.add(() => app.close());
    logger.log(`metering tenancy, scheduling and images events from ${config.natsUrl}; answering billing.*`);
    return { clock, issuer, closeAndIssue, backlog: () => meteringBacklog(consumers), close: () => closers.closeAll() };
  } catch (error) {
    await closers.closeAll();
    throw error;
  }
}

if (require.main === module) runService('billing', () => startBilling(configFromEnv()));
