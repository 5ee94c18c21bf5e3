import type { LogLevel } from '@nestjs/common';
import { type WebhookSettings, webhookSettingsFromEnv } from './webhook/webhook.settings';

export interface MonitoringConfig {
  /** The read models' PostgreSQL database; also the event store unless `eventStoreConnectionString` is set. */
  readonly databaseUrl: string;
  readonly eventStoreConnectionString?: string;
  readonly natsUrl: string;
  /** How long the NATS handlers get to finish at shutdown (default 3 s). */
  readonly shutdownGraceMs?: number;
  readonly logLevels?: LogLevel[];
  /** Webhook delivery (MONITORING_WEBHOOK_*): backoff, attempts, timeout, poll, allowed private hosts. */
  readonly webhooks?: Partial<WebhookSettings>;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): MonitoringConfig {
  const required = (name: string): string => {
    const value = env[name];
    if (!value) throw new Error(`${name} is not set`);
    return value;
  };
  return {
    databaseUrl: required('DATABASE_URL'),
    eventStoreConnectionString: env.EVENTSTORE_CONNECTION_STRING || undefined,
    natsUrl: required('NATS_URL'),
    webhooks: webhookSettingsFromEnv(env),
  };
}
