import 'reflect-metadata';
import { connectEventStore } from '@caas/event-store';
import { startServiceRelay } from '@caas/messaging';
import { RpcClient } from '@caas/messaging/src/rpc/rpc-client';
import { TypeOrmCheckpointStore, ReadYourWrites } from '@caas/read-model';
import { type INestMicroservice, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ClientProxyFactory, Transport } from '@nestjs/microservices';
import { connect } from 'nats';
import { ClusterState } from './cluster/cluster-state';
import { ContainerScheduler } from './cluster/container-scheduler';
import { HostDrivers } from './cluster/host-drivers';
import { registerBootstrapHosts } from './host/bootstrap-hosts';
import { HeartbeatMonitor } from './host/heartbeat-monitor';
import { startHostReadModel } from './host/host.projection';
import { openSchedulingDatabase } from './read-model/scheduling-database';
import { startWorkloadReadModel } from './read-model/workload-read-model';
import { Reconciler } from './reconciler/reconciler';
import { publicEventData } from './relay/public-event-data';
import { RELAYED_CATEGORIES, RELAYED_EVENT_TYPES } from './relay/relayed-events';
import { type SchedulingConfig, SCHEDULING_DEFAULTS, configFromEnv } from './scheduling.config';
import { SchedulingModule } from './scheduling.module';
import { VolumeSampler } from './volume/volume-sampler';
import { Closers } from '@caas/messaging/src/rpc/closers';
import { runService } from '@caas/messaging/src/rpc/run-service';
import { serviceTransport } from '@caas/messaging/src/rpc/service-transport';
import { PlatformRegistry } from './shared/platform-registry';
import { TenancyChanges } from './shared/tenancy-changes';
import { TenancyClient } from './shared/tenancy-client';

export interface RunningScheduling {
  readonly app: INestMicroservice;
  /** The in-memory desired state every decision is made on (tests look into it). */
  readonly cluster: ClusterState;
  /** Stops taking requests, lets those in flight answer, then closes everything else. */
  close(): Promise<void>;
}

/**
 * Starts the scheduling service from explicit configuration: main() below passes the
 * environment's, tests pass their own (and run it in-process).
 */
export async function startScheduling(config: SchedulingConfig): Promise<RunningScheduling> {
  const logger = new Logger('scheduling');
  const report = (what: string) => (error: unknown) =>
    logger.error(`${what}: ${error instanceof Error ? error.stack : String(error)}`);
  const closers = new Closers();
  const closeAll = () => closers.closeAll();
  try {
    const store = await connectEventStore({
      eventStoreConnectionString: config.eventStoreConnectionString,
      databaseUrl: config.databaseUrl,
    });
    closers.add(() => store.close());
    const dataSource = await openSchedulingDatabase(config.databaseUrl);
    closers.add(() => dataSource.destroy());

    const hostsReadModel = await startHostReadModel(store, dataSource, report('hosts read model'));
    closers.add(() => hostsReadModel.stop());
    const workloadReadModel = await startWorkloadReadModel(store, dataSource, report('workloads read model'));
    closers.add(() => workloadReadModel.stop());
    // Answer nothing before the read models have caught up with history.
    await Promise.all([hostsReadModel.caughtUp(), workloadReadModel.caughtUp()]);
    const readYourWrites = new ReadYourWrites(store, {
      host: hostsReadModel,
      container: workloadReadModel,
      service: workloadReadModel,
      placement: workloadReadModel,
    });

    // Every decision (placement, quotas, the reconciler's) is made on this fold.
    const cluster = await ClusterState.start(store, report('cluster state'), config.portRange);
    closers.add(() => cluster.stop());
    const scheduler = new ContainerScheduler(store, cluster);
    const drivers = new HostDrivers(store, cluster);

    const heartbeat = new HeartbeatMonitor({
      store,
      hosts: async () => cluster.watchedHosts(),
      driverFor: (host) => ({
        ping: async (timeoutMs) => {
          const driver = await drivers.get(host.hostId);
          if (!driver) throw new Error(`host '${host.hostId}' is not registered`);
          return driver.ping(timeoutMs);
        },
      }),
      ttlMs: config.hostTtlMs ?? SCHEDULING_DEFAULTS.hostTtlMs,
      intervalMs: config.heartbeatIntervalMs ?? SCHEDULING_DEFAULTS.heartbeatIntervalMs,
      onError: report('heartbeat'),
    });
    heartbeat.start();
    closers.add(() => heartbeat.stop());

    // Quotas and environments are tenancy's: asked over NATS with the caller's headers,
    // remembered until tenancy publishes an event of that tenant.
    const rpcProxy = ClientProxyFactory.create({
      transport: Transport.NATS,
      options: { servers: [config.natsUrl], name: 'scheduling-rpc-client' },
    });
    await rpcProxy.connect();
    closers.add(() => rpcProxy.close() as Promise<void>);
    const tenancy = new TenancyClient(new RpcClient(rpcProxy), config.tenancySubjectPrefix ?? config.subjectPrefix);
    // Deploys of platform-registry images: pull tokens from the images service, as the tenant.
    const registry = new PlatformRegistry(
      config.registryHost,
      new RpcClient(rpcProxy),
      config.imagesSubjectPrefix ?? config.subjectPrefix,
    );

    const reconciler = new Reconciler({
      store,
      cluster,
      drivers,
      scheduler,
      registry,
      intervalMs: config.reconcileIntervalMs ?? SCHEDULING_DEFAULTS.reconcileIntervalMs,
      onError: report('reconciler'),
    });
    reconciler.start();
    closers.add(() => reconciler.stop());

    // Tenants' volume sizes for billing (GB-months): VolumeMeasured when one changed.
    const volumeSampler = await VolumeSampler.start({
      store,
      cluster,
      driverFor: (hostId) => drivers.get(hostId),
      intervalMs: config.volumeSampleMs ?? SCHEDULING_DEFAULTS.volumeSampleMs,
      onError: report('volume sampler'),
    });
    closers.add(() => volumeSampler.stop());

    // Public events go to JetStream (caas.events.scheduling.<Type>), checkpointed beside
    // the read models. Private facts stay home: the container spec (env), replica facts,
    // TLS credentials (another category); service templates go out with env masked.
    const relay = await startServiceRelay({
      natsUrl: config.natsUrl,
      context: 'scheduling',
      categories: RELAYED_CATEGORIES,
      eventTypes: RELAYED_EVENT_TYPES,
      publicData: publicEventData,
      store,
      checkpoints: await TypeOrmCheckpointStore.create(dataSource),
      onError: (error) => logger.warn(`relay: ${error instanceof Error ? error.message : String(error)}`),
    });
    closers.add(() => relay.stop());

    // Followed logs are published to callers' inboxes, and tenancy's events read as they
    // are published, which Nest's transport cannot do.
    const rawNats = await connect({ servers: config.natsUrl, name: 'scheduling-raw' });
    closers.add(() => rawNats.drain());
    const tenancyChanges = new TenancyChanges(rawNats, tenancy);
    tenancyChanges.start();
    closers.add(async () => tenancyChanges.stop());

    // Before listening: once the service answers, its configured engines are hosts (or
    // were logged as unreachable), so `npm start` and the specs can place at once.
    if (config.bootstrapHosts?.length) {
      await registerBootstrapHosts({ store, cluster, drivers, readYourWrites }, config.bootstrapHosts, logger);
    }

    const app = await NestFactory.createMicroservice(
      SchedulingModule.register({
        store,
        dataSource,
        cluster,
        scheduler,
        drivers,
        readYourWrites,
        tenancy,
        registry,
        logsNats: rawNats,
      }),
      {
        ...serviceTransport(
          config.natsUrl,
          'scheduling',
          config.shutdownGraceMs ?? SCHEDULING_DEFAULTS.shutdownGraceMs,
          config.subjectPrefix,
        ),
        logger: config.logLevels ?? ['log', 'warn', 'error'],
      },
    );
    await app.listen();
    closers.add(() => app.close());
    logger.log(`listening on NATS ${config.natsUrl} (queue group scheduling)`);
    return { app, cluster, close: closeAll };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

/** The hosts to heartbeat, from the cluster state: a host registered a moment ago is watched at once. */
if (require.main === module) runService('scheduling', () => startScheduling(configFromEnv()));
