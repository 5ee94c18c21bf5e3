import type { EventStore } from '@caas/event-store';
import { ReadYourWrites } from '@caas/read-model';
import { type DynamicModule, Module } from '@nestjs/common';
import { type ImportDependencies, ImportModule } from './import/import.module';
import { type MarketDependencies, MarketModule } from './market/market.module';
import { ImageStorage } from './quota/image-storage';
import { RegistryAdmin } from './registry/registry-admin';
import { RegistryTokenService } from './registry/registry-token.service';
import { RegistryHandlers } from './registry/registry.handlers';
import { type ReplicationDependencies, ReplicationModule } from './replication/replication.module';
import { RepositoryHandlers } from './repository/repository.handlers';
import { RepositoryQueries } from './repository/repository.queries';
import { EVENT_STORE } from './shared/tokens';
import { StateAsOfHandlers } from './audit/state-as-of.handlers';

/** What the module is built from: made by main.ts (or a test) and handed in, never looked up from the environment. */
export interface ImagesDependencies {
  readonly store: EventStore;
  readonly readYourWrites: ReadYourWrites;
  readonly queries: RepositoryQueries;
  readonly tokens: RegistryTokenService;
  readonly registry: RegistryAdmin;
  readonly storage: ImageStorage;
  readonly market: MarketDependencies;
  readonly imports: ImportDependencies;
  readonly replication: ReplicationDependencies;
}

@Module({})
export class ImagesModule {
  static register({
    store,
    readYourWrites,
    queries,
    tokens,
    registry,
    storage,
    market,
    imports,
    replication,
  }: ImagesDependencies): DynamicModule {
    return {
      module: ImagesModule,
      imports: [MarketModule.register(market), ImportModule.register(imports), ReplicationModule.register(replication)],
      controllers: [RegistryHandlers, RepositoryHandlers, StateAsOfHandlers],
      providers: [
        { provide: EVENT_STORE, useValue: store },
        { provide: ReadYourWrites, useValue: readYourWrites },
        { provide: RepositoryQueries, useValue: queries },
        { provide: RegistryTokenService, useValue: tokens },
        { provide: RegistryAdmin, useValue: registry },
        { provide: ImageStorage, useValue: storage },
      ],
    };
  }
}
