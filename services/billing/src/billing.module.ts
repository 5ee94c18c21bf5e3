import type { EventStore } from '@caas/event-store';
import { ReadYourWrites } from '@caas/read-model';
import { type DynamicModule, Module } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { BillingHandlers } from './invoice/billing.handlers';
import { FinanceHandlers } from './invoice/finance.handlers';
import { StateAsOfHandlers } from './audit/state-as-of.handlers';
import { BILLING_DATA_SOURCE, BILLING_NOW, EVENT_STORE } from './shared/tokens';

/** What the module is built from: made by main.ts (or a test) and handed in. */
export interface BillingDependencies {
  readonly store: EventStore;
  readonly dataSource: DataSource;
  readonly readYourWrites: ReadYourWrites;
  readonly now: () => Date;
}

@Module({})
export class BillingModule {
  static register({ store, dataSource, readYourWrites, now }: BillingDependencies): DynamicModule {
    return {
      module: BillingModule,
      controllers: [BillingHandlers, FinanceHandlers, StateAsOfHandlers],
      providers: [
        { provide: EVENT_STORE, useValue: store },
        { provide: BILLING_DATA_SOURCE, useValue: dataSource },
        { provide: BILLING_NOW, useValue: now },
        { provide: ReadYourWrites, useValue: readYourWrites },
      ],
    };
  }
}
