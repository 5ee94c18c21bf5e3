import type { LogLevel } from '@nestjs/common';

export interface BillingConfig {
  /** The read model's PostgreSQL database; also the event store unless `eventStoreConnectionString` is set. */
  readonly databaseUrl: string;
  readonly eventStoreConnectionString?: string;
  readonly natsUrl: string;
  /** How long after an hour ends it is closed: facts that late still count in it (default 5 min). */
  readonly hourGraceMs?: number;
  /** How often the clock looks for hours to close (default 30 s). */
  readonly clockIntervalMs?: number;
  /** Tests only: the clock's time. */
  readonly now?: () => Date;
  /** How long the NATS handlers get to finish at shutdown (default 3 s). */
  readonly shutdownGraceMs?: number;
  readonly logLevels?: LogLevel[];
}

export const BILLING_DEFAULTS = { hourGraceMs: 5 * 60_000, clockIntervalMs: 30_000 } as const;

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): BillingConfig {
  const required = (name: string): string => {
    const value = env[name];
    if (!value) throw new Error(`${name} is not set`);
    return value;
  };
  const milliseconds = (name: string): number | undefined => {
    const value = env[name];
    if (!value) return undefined;
    if (!/^\d+$/.test(value)) throw new Error(`${name} must be a whole number of milliseconds`);
    return Number(value);
  };
  return {
    databaseUrl: required('DATABASE_URL'),
    eventStoreConnectionString: env.EVENTSTORE_CONNECTION_STRING || undefined,
    natsUrl: required('NATS_URL'),
    hourGraceMs: milliseconds('BILLING_HOUR_GRACE_MS'),
    clockIntervalMs: milliseconds('BILLING_CLOCK_INTERVAL_MS'),
  };
}
