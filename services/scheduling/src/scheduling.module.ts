import type { EventStore } from '@caas/event-store';
import { type DynamicModule, Module } from '@nestjs/common';
import type { NatsConnection } from 'nats';
import { DataSource } from 'typeorm';
import { ClusterState } from './cluster/cluster-state';
import { ContainerScheduler } from './cluster/container-scheduler';
import { HostDrivers } from './cluster/host-drivers';
import { clusterLogSource } from './container/cluster-log-source';
import { CommitContainerHandlers } from './container/commit-container.handlers';
import { ContainerHandlers } from './container/container.handlers';
import { ContainerQueries } from './container/container.queries';
import { ContainerLogsHandlers } from './container/logs/container-logs.handlers';
import { CONTAINER_LOG_SOURCE, LOGS_NATS_CONNECTION } from './container/logs/logs.tokens';
import { HostHandlers } from './host/host.handlers';
import { HostQueries } from './host/host.queries';
import { QuotaGuard } from './quota/quota-guard';
import { ServiceHandlers } from './service/service.handlers';
import { ServiceQueries } from './service/service.queries';
import { ReadYourWrites } from '@caas/read-model';
import { PlatformRegistry } from './shared/platform-registry';
import { TenancyClient } from './shared/tenancy-client';
import { EVENT_STORE } from './shared/tokens';
import { StateAsOfHandlers } from './audit/state-as-of.handlers';

/** What the module is built from: made by main.ts (or a test) and handed in, never looked up from the environment. */
export interface SchedulingDependencies {
  readonly store: EventStore;
  readonly dataSource: DataSource;
  readonly cluster: ClusterState;
  readonly scheduler: ContainerScheduler;
  readonly drivers: HostDrivers;
  readonly readYourWrites: ReadYourWrites;
  readonly tenancy: TenancyClient;
  readonly registry: PlatformRegistry;
  /** Publishes followed logs to callers' inboxes. */
  readonly logsNats: NatsConnection;
}

@Module({})
export class SchedulingModule {
  static register(deps: SchedulingDependencies): DynamicModule {
    return {
      module: SchedulingModule,
      controllers: [
        ContainerHandlers,
        CommitContainerHandlers,
        ContainerLogsHandlers,
        ServiceHandlers,
        HostHandlers,
        StateAsOfHandlers,
      ],
      providers: [
        { provide: EVENT_STORE, useValue: deps.store },
        { provide: DataSource, useValue: deps.dataSource },
        { provide: ClusterState, useValue: deps.cluster },
        { provide: ContainerScheduler, useValue: deps.scheduler },
        { provide: HostDrivers, useValue: deps.drivers },
        { provide: ReadYourWrites, useValue: deps.readYourWrites },
        { provide: TenancyClient, useValue: deps.tenancy },
        { provide: PlatformRegistry, useValue: deps.registry },
        { provide: CONTAINER_LOG_SOURCE, useValue: clusterLogSource(deps.cluster, deps.drivers) },
        { provide: LOGS_NATS_CONNECTION, useValue: deps.logsNats },
        QuotaGuard,
        ContainerQueries,
        ServiceQueries,
        HostQueries,
      ],
    };
  }
}
