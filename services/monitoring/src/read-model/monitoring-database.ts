import { openReadModelDatabase } from '@caas/read-model';
import type { DataSource } from 'typeorm';
import { MonitoringSchema1764000000000 } from './migrations/1764000000000-monitoring-schema';
import { Webhooks1764200000000 } from './migrations/1764200000000-webhooks';
import { MonitoringDashboard1764000500000 } from './migrations/1764000500000-dashboard';
import { AuditLog1764000200000 } from './migrations/1764000200000-audit-log';
import { WebhookDeliveryRetention1764300000000 } from './migrations/1764300000000-webhook-delivery-retention';

/** The monitoring read models' database (schema `monitoring`). Migrations in time order. */
export function openMonitoringDatabase(url: string): Promise<DataSource> {
  return openReadModelDatabase({
    url,
    schema: 'monitoring',
    entities: [],
    migrations: [
      MonitoringSchema1764000000000,
      AuditLog1764000200000,
      MonitoringDashboard1764000500000,
      Webhooks1764200000000,
      WebhookDeliveryRetention1764300000000,
    ],
  });
}
