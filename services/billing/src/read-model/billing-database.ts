import { openReadModelDatabase } from '@caas/read-model';
import type { DataSource } from 'typeorm';
import { HourlyUsageRow } from '../metering/hourly-usage.projection';
import { BillingReadModel1763942400000 } from './migrations/1763942400000-billing-read-model';
import { BillingMeters1763946000000 } from './migrations/1763946000000-billing-meters';
import { BillingPlansStorage1763960000000 } from './migrations/1763960000000-billing-plans-storage';
import { BillingInvoicing1763963600000 } from './migrations/1763963600000-billing-invoicing';

/** The billing read model's database (schema `billing`). */
export function openBillingDatabase(url: string): Promise<DataSource> {
  return openReadModelDatabase({
    url,
    schema: 'billing',
    entities: [HourlyUsageRow],
    migrations: [
      BillingReadModel1763942400000,
      BillingMeters1763946000000,
      BillingPlansStorage1763960000000,
      BillingInvoicing1763963600000,
    ],
  });
}
