import 'reflect-metadata';
import { connectEventStore } from '@caas/event-store';
import { startServiceRelay } from '@caas/messaging';
import { TypeOrmCheckpointStore } from '@caas/read-model';
import { type INestMicroservice, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { seedPlans } from './plan/plan.seed';
import { openTenancyDatabase } from './read-model/tenancy-database';
import { startTenancyReadModel } from './read-model/tenancy.projections';
import { Closers } from '@caas/messaging/src/rpc/closers';
import { runService } from '@caas/messaging/src/rpc/run-service';
import { serviceTransport } from '@caas/messaging/src/rpc/service-transport';
import { type TenancyConfig, configFromEnv } from './tenancy.config';
import { TenancyModule } from './tenancy.module';
import { seedBootstrapAdmin } from './user/bootstrap-admin';
import { PasswordHasher } from './user/password-hashing';

/**
 * The categories the JetStream relay publishes. Never `credential`, `emailclaim` or
 * `apikeysecret`: those hold password hashes, address claims and key hashes.
 */
export const RELAYED_CATEGORIES = ['tenant', 'user', 'apikey', 'plan'] as const;

export interface RunningTenancy {
  readonly app: INestMicroservice;
  /** Stops taking requests, lets those in flight answer, then closes everything else. */
  close(): Promise<void>;
}

/**
 * Starts the tenancy service from explicit configuration: main() below passes the
 * environment's, tests pass their own (and run it in-process).
 */
export async function startTenancy(config: TenancyConfig): Promise<RunningTenancy> {
  const logger = new Logger('tenancy');
  const closers = new Closers();
  const closeAll = () => closers.closeAll();
  try {
    const store = await connectEventStore({
      eventStoreConnectionString: config.eventStoreConnectionString,
      databaseUrl: config.databaseUrl,
    });
    closers.add(() => store.close());
    const dataSource = await openTenancyDatabase(config.databaseUrl);
    closers.add(() => dataSource.destroy());

    const passwords = new PasswordHasher(config.scrypt);
    await seedPlans(store);
    if (config.bootstrapAdmin) {
      await seedBootstrapAdmin(store, passwords, config.bootstrapAdmin, (message) => logger.warn(message));
    }

    const readModel = await startTenancyReadModel(store, dataSource, (error) =>
      logger.error(`read model: ${error instanceof Error ? error.stack : String(error)}`),
    );
    closers.add(() => readModel.stop());
    // Answer nothing before the read model has caught up with history (and the seeds).
    await readModel.caughtUp();

    // Public events go to JetStream (caas.events.tenancy.<Type>), checkpointed in this
    // database beside the read model's checkpoint.
    const relay = await startServiceRelay({
      natsUrl: config.natsUrl,
      context: 'tenancy',
      categories: RELAYED_CATEGORIES,
      store,
      checkpoints: await TypeOrmCheckpointStore.create(dataSource),
      onError: (error) => logger.warn(`relay: ${error instanceof Error ? error.message : String(error)}`),
    });
    closers.add(() => relay.stop());

    const app = await NestFactory.createMicroservice(
      TenancyModule.register({ store, dataSource, readModel, passwords }),
      {
        ...serviceTransport(config.natsUrl, 'tenancy', config.shutdownGraceMs ?? 3_000, config.subjectPrefix),
        logger: config.logLevels ?? ['log', 'warn', 'error'],
      },
    );
    await app.listen();
    closers.add(() => app.close());
    logger.log(`listening on NATS ${config.natsUrl} (queue group tenancy)`);
    return { app, close: closeAll };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

if (require.main === module) runService('tenancy', () => startTenancy(configFromEnv()));
