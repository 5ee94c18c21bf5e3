import type { EventStore } from '@caas/event-store';
import type { ReadYourWrites } from '@caas/read-model';
import { type DynamicModule, Module } from '@nestjs/common';
import type { RegistryAdmin } from '../registry/registry-admin';
import { MARKET_DEPENDENCIES, MarketHandlers } from './market.handlers';
import type { MarketQueries } from './market.queries';

/** What the market slice is built from (made by main.ts, imported by ImagesModule). */
export interface MarketDependencies {
  readonly store: EventStore;
  /** Copies approved images into `library/…` with tokens the service mints itself. */
  readonly registry: RegistryAdmin;
  readonly queries: MarketQueries;
  /** Follows both categories the market writes: `submission` and `repository` (the market's repositories). */
  readonly readYourWrites: ReadYourWrites;
}

@Module({})
export class MarketModule {
  static register(dependencies: MarketDependencies): DynamicModule {
    return {
      module: MarketModule,
      controllers: [MarketHandlers],
      providers: [{ provide: MARKET_DEPENDENCIES, useValue: dependencies }],
    };
  }
}
