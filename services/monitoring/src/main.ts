import 'reflect-metadata';
import { connectEventStore } from '@caas/event-store';
import { ensureEventsStream, startServiceRelay } from '@caas/messaging';
import { Closers } from '@caas/messaging/src/rpc/closers';
import { runService } from '@caas/messaging/src/rpc/run-service';
import { serviceTransport } from '@caas/messaging/src/rpc/service-transport';
import { TypeOrmCheckpointStore } from '@caas/read-model';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { connect } from 'nats';
import { Pool } from 'pg';
import { type MonitoringConfig, configFromEnv } from './monitoring.config';
import { MonitoringModule } from './monitoring.module';
import { openMonitoringDatabase } from './read-model/monitoring-database';
import { startWebhooksSlice } from './webhook/webhooks.slice';
import { startDashboard } from './dashboard/dashboard.consumer';
import { startAuditLog } from './audit/audit.slice';

/** The categories the relay publishes (caas.events.monitoring.<Type>). Never `webhooksecret`. */
export const RELAYED_CATEGORIES = ['webhook'] as const;

export interface RunningMonitoring {
  close(): Promise<void>;
}

/**
 * Monitoring: everything other services publish, read from JetStream into the audit log
 * and the dashboards, tenants' webhooks delivered from it. Tests pass their own config
 * and run it in-process.
 */
export async function startMonitoring(config: MonitoringConfig): Promise<RunningMonitoring> {
  const logger = new Logger('monitoring');
  const report = (what: string) => (error: unknown) =>
    logger.error(`${what}: ${error instanceof Error ? error.stack : String(error)}`);
  const closers = new Closers();
  try {
    const store = await connectEventStore({
      eventStoreConnectionString: config.eventStoreConnectionString,
      databaseUrl: config.databaseUrl,
    });
    closers.add(() => store.close());
    const dataSource = await openMonitoringDatabase(config.databaseUrl);
    closers.add(() => dataSource.destroy());

    const relay = await startServiceRelay({
      natsUrl: config.natsUrl,
      context: 'monitoring',
      categories: RELAYED_CATEGORIES,
      store,
      checkpoints: await TypeOrmCheckpointStore.create(dataSource),
      onError: report('relay'),
    });
    closers.add(() => relay.stop());

    const nc = await connect({ servers: config.natsUrl, name: 'monitoring' });
    closers.add(() => nc.drain());
    await ensureEventsStream(await nc.jetstreamManager());
    const pool = new Pool({ connectionString: config.databaseUrl, max: 6 });
    closers.add(() => pool.end());
    const slice = { config, store, dataSource, nc, pool, report };
    closers.add(await startAuditLog(slice));
    closers.add(await startDashboard(slice));
    const webhooks = await startWebhooksSlice(slice);
    closers.add(() => webhooks.stop());

    const app = await NestFactory.createMicroservice(
      MonitoringModule.register({ store, dataSource, nc, config, readYourWrites: webhooks.readYourWrites }),
      {
        ...serviceTransport(config.natsUrl, 'monitoring', config.shutdownGraceMs ?? 3_000),
        logger: config.logLevels ?? ['log', 'warn', 'error'],
      },
    );
    await app.listen();
    closers.add(() => app.close());
    logger.log(`following CAAS_EVENTS from ${config.natsUrl}; answering monitoring.*`);
    return { close: () => closers.closeAll() };
  } catch (error) {
    await closers.closeAll();
    throw error;
  }
}

if (require.main === module) runService('monitoring', () => startMonitoring(configFromEnv()));
