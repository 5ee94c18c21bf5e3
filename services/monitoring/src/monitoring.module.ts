import type { EventStore } from '@caas/event-store';
import { ReadYourWrites } from '@caas/read-model';
import { type DynamicModule, Module } from '@nestjs/common';
import type { NatsConnection } from 'nats';
import type { DataSource } from 'typeorm';
import type { MonitoringConfig } from './monitoring.config';
import { AuditHandlers } from './audit/audit.handlers';
import { DashboardHandlers } from './dashboard/dashboard.handlers';
import { EVENT_STORE, MONITORING_CONFIG, MONITORING_DATA_SOURCE, NATS_CONNECTION } from './shared/tokens';
import { WebhookHandlers } from './webhook/webhook.handlers';

/** What the module is built from: made by main.ts (or a test) and handed in. */
export interface MonitoringDependencies {
  readonly store: EventStore;
  readonly dataSource: DataSource;
  readonly nc: NatsConnection;
  readonly config: MonitoringConfig;
  readonly readYourWrites: ReadYourWrites;
}

@Module({})
export class MonitoringModule {
  static register({ store, dataSource, nc, config, readYourWrites }: MonitoringDependencies): DynamicModule {
    return {
      module: MonitoringModule,
      controllers: [AuditHandlers, DashboardHandlers, WebhookHandlers],
      providers: [
        { provide: EVENT_STORE, useValue: store },
        { provide: MONITORING_DATA_SOURCE, useValue: dataSource },
        { provide: NATS_CONNECTION, useValue: nc },
        { provide: MONITORING_CONFIG, useValue: config },
        { provide: ReadYourWrites, useValue: readYourWrites },
      ],
    };
  }
}
