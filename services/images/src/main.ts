import 'reflect-metadata';
import { readFile } from 'node:fs/promises';
import { connectEventStore } from '@caas/event-store';
import { startServiceRelay } from '@caas/messaging';
import { Closers } from '@caas/messaging/src/rpc/closers';
import { RpcClient } from '@caas/messaging/src/rpc/rpc-client';
import { runService } from '@caas/messaging/src/rpc/run-service';
import { serviceTransport } from '@caas/messaging/src/rpc/service-transport';
import { ReadYourWrites, TypeOrmCheckpointStore } from '@caas/read-model';
import { type INestMicroservice, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ClientProxyFactory, Transport } from '@nestjs/microservices';
import { type ImagesConfig, configFromEnv } from './images.config';
import { ImagesModule } from './images.module';
import { RegistryReach } from './import/import.settings';
import { openImagesDatabase } from './read-model/images-database';
import { startImagesReadModel } from './read-model/images.projections';
import { startMarketReadModel } from './market/market.read-model';
import { MarketQueries } from './market/market.queries';
import { RegistryAdmin } from './registry/registry-admin';
import { RegistryTokenService } from './registry/registry-token.service';
import { RegistryTokenSigner } from './registry/registry-token.signer';
import { ReplicationCredentials } from './replication/replication-credentials';
import { ReplicationQueries } from './replication/replication.queries';
import { startReplication } from './replication/start-replication';
import { RepositoryQueries } from './repository/repository.queries';
import { ImageStorage } from './quota/image-storage';
import { TenantRoles } from './shared/tenant-roles';

/**
 * The categories the JetStream relay publishes (caas.events.images.<Type>). Never
 * `replicationcredentials`: a replication target's password stays in the store.
 */
export const RELAYED_CATEGORIES = ['repository', 'submission', 'replication'] as const;

export interface RunningImages {
  readonly app: INestMicroservice;
  close(): Promise<void>;
}

/**
 * Starts the images service from explicit configuration: main() below passes the
 * environment's, tests pass their own (and run it in-process).
 */
export async function startImages(config: ImagesConfig): Promise<RunningImages> {
  const logger = new Logger('images');
  const closers = new Closers();
  const closeAll = () => closers.closeAll();
  try {
    const store = await connectEventStore({
      eventStoreConnectionString: config.eventStoreConnectionString,
      databaseUrl: config.databaseUrl,
    });
    closers.add(() => store.close());
    const dataSource = await openImagesDatabase(config.databaseUrl);
    closers.add(() => dataSource.destroy());

    const readModel = await startImagesReadModel(store, dataSource, (error) =>
      logger.error(`read model: ${error instanceof Error ? error.stack : String(error)}`),
    );
    closers.add(() => readModel.stop());
    await readModel.caughtUp();
    const marketReadModel = await startMarketReadModel(store, dataSource, (error) =>
      logger.error(`market read model: ${error instanceof Error ? error.stack : String(error)}`),
    );
    closers.add(() => marketReadModel.stop());
    await marketReadModel.caughtUp();

    const relay = await startServiceRelay({
      natsUrl: config.natsUrl,
      context: 'images',
      categories: RELAYED_CATEGORIES,
      store,
      checkpoints: await TypeOrmCheckpointStore.create(dataSource),
      onError: (error) => logger.warn(`relay: ${error instanceof Error ? error.message : String(error)}`),
    });
    closers.add(() => relay.stop());

    const { registry } = config;
    const signer = new RegistryTokenSigner({
      keyPem: await readFile(registry.tokenKeyPath, 'utf8'),
      certPem: await readFile(registry.tokenCertPath, 'utf8'),
      issuer: registry.issuer,
      service: registry.service,
      ttlSeconds: registry.tokenTtlSeconds,
    });
    // Memberships are tenancy's: asked over NATS with the caller's headers.
    const tenancyProxy = ClientProxyFactory.create({
      transport: Transport.NATS,
      options: { servers: [config.natsUrl], name: 'images-tenancy-client' },
    });
    await tenancyProxy.connect();
    closers.add(() => tenancyProxy.close() as Promise<void>);
    const tenancyPrefix = config.tenancySubjectPrefix ?? config.subjectPrefix;
    const roles = new TenantRoles(new RpcClient(tenancyProxy), tenancyPrefix);
    const storage = new ImageStorage(dataSource, new RpcClient(tenancyProxy), tenancyPrefix);
    const queries = new RepositoryQueries(dataSource, registry.publicHost ?? new URL(registry.url).host);
    const registryAdmin = new RegistryAdmin(registry.url, signer);
    const tokens = new RegistryTokenService(registry.service, signer, roles, queries, storage);
    const reach = new RegistryReach(config.insecureRegistries);
    const replicationCredentials = new ReplicationCredentials(store);
    const replicationError = (what: string, error: unknown) =>
      logger.error(`replication ${what}: ${error instanceof Error ? error.stack : String(error)}`);
    const replication = await startReplication(
      store,
      dataSource,
      registryAdmin,
      replicationCredentials,
      replicationError,
    );
    closers.add(() => replication.stop());

    const app = await NestFactory.createMicroservice(
      ImagesModule.register({
        store,
        readYourWrites: new ReadYourWrites(store, readModel),
        queries,
        tokens,
        registry: registryAdmin,
        storage,
        market: {
          store,
          registry: registryAdmin,
          queries: new MarketQueries(dataSource, registry.publicHost ?? new URL(registry.url).host),
          readYourWrites: new ReadYourWrites(store, { repository: readModel, submission: marketReadModel }),
        },
        imports: {
          store,
          readYourWrites: new ReadYourWrites(store, readModel),
          registry: registryAdmin,
          reach,
          storage,
        },
        replication: {
          store,
          readYourWrites: new ReadYourWrites(store, { replication: replication.readModel }),
          queries: new ReplicationQueries(dataSource),
          credentials: replicationCredentials,
          registry: registryAdmin,
          reach,
        },
      }),
      {
        ...serviceTransport(config.natsUrl, 'images', config.shutdownGraceMs ?? 3_000, config.subjectPrefix),
        logger: config.logLevels ?? ['log', 'warn', 'error'],
      },
    );
    await app.listen();
    closers.add(() => app.close());
    logger.log(`listening on NATS ${config.natsUrl} (queue group images)`);
    return { app, close: closeAll };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

if (require.main === module) runService('images', () => startImages(configFromEnv()));
