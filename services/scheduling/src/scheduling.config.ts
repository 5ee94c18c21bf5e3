import type { LogLevel } from '@nestjs/common';

export interface SchedulingConfig {
  /** The read models' PostgreSQL database; also the event store unless `eventStoreConnectionString` is set. */
  readonly databaseUrl: string;
  /** EventStoreDB (production); PostgreSQL at `databaseUrl` when absent. */
  readonly eventStoreConnectionString?: string;
  readonly natsUrl: string;
  /** Silence after which the heartbeat monitor marks a host down (default 10 s). */
  readonly hostTtlMs?: number;
  /** How often every host is pinged (default 1 s). */
  readonly heartbeatIntervalMs?: number;
  /** How often the reconciler compares every host with the desired state (default 2 s). */
  readonly reconcileIntervalMs?: number;
  /** Tests only: listen on `<prefix>.scheduling.…` (see nats-transport.ts). */
  readonly subjectPrefix?: string;
  /**
   * Tests only: the prefix tenancy listens under (`<prefix>.tenancy.…`), for the quota
   * and environment checks. Defaults to `subjectPrefix`: a test runs both on one prefix.
   */
  readonly tenancySubjectPrefix?: string;
  /** How long requests in flight get to answer on shutdown (default 3 s). */
  readonly shutdownGraceMs?: number;
  readonly logLevels?: LogLevel[];
}

export const SCHEDULING_DEFAULTS = {
  hostTtlMs: 10_000,
  heartbeatIntervalMs: 1_000,
  reconcileIntervalMs: 2_000,
  shutdownGraceMs: 3_000,
} as const;

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): SchedulingConfig {
  const required = (name: string): string => {
    const value = env[name];
    if (!value) throw new Error(`${name} is not set`);
    return value;
  };
  const milliseconds = (name: string, fallback: number): number => {
    const value = env[name];
    if (!value) return fallback;
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed <= 0) throw new Error(`${name} must be a positive integer (milliseconds)`);
    return parsed;
  };
  return {
    databaseUrl: required('DATABASE_URL'),
    eventStoreConnectionString: env.EVENTSTORE_CONNECTION_STRING || undefined,
    natsUrl: required('NATS_URL'),
    hostTtlMs: milliseconds('SCHEDULING_HOST_TTL_MS', SCHEDULING_DEFAULTS.hostTtlMs),
    heartbeatIntervalMs: milliseconds('SCHEDULING_HEARTBEAT_INTERVAL_MS', SCHEDULING_DEFAULTS.heartbeatIntervalMs),
    reconcileIntervalMs: milliseconds('SCHEDULING_RECONCILE_INTERVAL_MS', SCHEDULING_DEFAULTS.reconcileIntervalMs),
    subjectPrefix: env.NATS_SUBJECT_PREFIX || undefined,
  };
}
