import type { EventStore } from '@caas/event-store';
import { ReadYourWrites } from '@caas/read-model';
import { type DynamicModule, Module } from '@nestjs/common';
import { ImageStorage } from '../quota/image-storage';
import { RegistryAdmin } from '../registry/registry-admin';
import { EVENT_STORE } from '../shared/tokens';
import { ImportHandlers } from './import.handlers';
import { RegistryReach } from './import.settings';

/** What the import slice is built from (made by main.ts, imported by ImagesModule). */
export interface ImportDependencies {
  readonly store: EventStore;
  /** Follows `repository`: an import answers once its repository is listed. */
  readonly readYourWrites: ReadYourWrites;
  /** Copies into the platform registry with tokens the service mints itself. */
  readonly registry: RegistryAdmin;
  readonly reach: RegistryReach;
  /** An import adds to the tenant's image storage: refused when it has no room left. */
  readonly storage: ImageStorage;
}

@Module({})
export class ImportModule {
  static register({ store, readYourWrites, registry, reach, storage }: ImportDependencies): DynamicModule {
    return {
      module: ImportModule,
      controllers: [ImportHandlers],
      providers: [
        { provide: EVENT_STORE, useValue: store },
        { provide: ReadYourWrites, useValue: readYourWrites },
        { provide: RegistryAdmin, useValue: registry },
        { provide: RegistryReach, useValue: reach },
        { provide: ImageStorage, useValue: storage },
      ],
    };
  }
}
