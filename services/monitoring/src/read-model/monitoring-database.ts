import { openReadModelDatabase } from '@caas/read-model';
import type { DataSource } from 'typeorm';
import { MonitoringSchema1764000000000 } from './migrations/1764000000000-monitoring-schema';

/** The monitoring read models' database (schema `monitoring`). Each slice adds its migrations here, in time order. */
export function openMonitoringDatabase(url: string): Promise<DataSource> {
  return openReadModelDatabase({
    url,
    schema: 'monitoring',
    entities: [],
    migrations: [
      MonitoringSchema1764000000000,
      // migrations: add each slice's migration classes above this line
    ],
  });
}
