import { openReadModelDatabase } from '@caas/read-model';
import type { DataSource } from 'typeorm';
import { HourlyUsageRow } from '../metering/hourly-usage.projection';
import { BillingReadModel1763942400000 } from './migrations/1763942400000-billing-read-model';

/** The billing read model's database (schema `billing`). */
export function openBillingDatabase(url: string): Promise<DataSource> {
  return openReadModelDatabase({
    url,
    schema: 'billing',
    entities: [HourlyUsageRow],
    migrations: [BillingReadModel1763942400000],
  });
}
