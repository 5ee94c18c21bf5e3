import type { EventStore } from '@caas/event-store';
import { ReadYourWrites } from '@caas/read-model';
import { type DynamicModule, Module } from '@nestjs/common';
import { RegistryReach } from '../import/import.settings';
import { RegistryAdmin } from '../registry/registry-admin';
import { EVENT_STORE } from '../shared/tokens';
import { ReplicationCredentials } from './replication-credentials';
import { ReplicationHandlers } from './replication.handlers';
import { ReplicationQueries } from './replication.queries';

/** What the replication slice's handlers are built from (made by main.ts, imported by ImagesModule). */
export interface ReplicationDependencies {
  readonly store: EventStore;
  /** Follows `replication`: a created or removed replication is listed (or not) when answered. */
  readonly readYourWrites: ReadYourWrites;
  readonly queries: ReplicationQueries;
  readonly credentials: ReplicationCredentials;
  readonly registry: RegistryAdmin;
  readonly reach: RegistryReach;
}

@Module({})
export class ReplicationModule {
  static register(dependencies: ReplicationDependencies): DynamicModule {
    const { store, readYourWrites, queries, credentials, registry, reach } = dependencies;
    return {
      module: ReplicationModule,
      controllers: [ReplicationHandlers],
      providers: [
        { provide: EVENT_STORE, useValue: store },
        { provide: ReadYourWrites, useValue: readYourWrites },
        { provide: ReplicationQueries, useValue: queries },
        { provide: ReplicationCredentials, useValue: credentials },
        { provide: RegistryAdmin, useValue: registry },
        { provide: RegistryReach, useValue: reach },
      ],
    };
  }
}
