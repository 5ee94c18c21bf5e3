import type { LogLevel } from '@nestjs/common';
import type { BootstrapAdmin } from './user/bootstrap-admin';
import type { ScryptParams } from './user/password-hashing';

export interface TenancyConfig {
  /** The read model's PostgreSQL database; also the event store unless `eventStoreConnectionString` is set. */
  readonly databaseUrl: string;
  /** EventStoreDB (production); PostgreSQL at `databaseUrl` when absent. */
  readonly eventStoreConnectionString?: string;
  readonly natsUrl: string;
  /** Seeded at start, idempotently, when set. */
  readonly bootstrapAdmin?: BootstrapAdmin;
  /** Tests only: listen on `<prefix>.tenancy.…` (see service-transport.ts in @caas/messaging). */
  readonly subjectPrefix?: string;
  /** How long requests in flight get to answer on shutdown (default 3 s). */
  readonly shutdownGraceMs?: number;
  readonly scrypt?: ScryptParams;
  readonly logLevels?: LogLevel[];
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): TenancyConfig {
  const required = (name: string): string => {
    const value = env[name];
    if (!value) throw new Error(`${name} is not set`);
    return value;
  };
  const { BOOTSTRAP_ADMIN_EMAIL: email, BOOTSTRAP_ADMIN_PASSWORD: password } = env;
  if (Boolean(email) !== Boolean(password)) {
    throw new Error('Set both BOOTSTRAP_ADMIN_EMAIL and BOOTSTRAP_ADMIN_PASSWORD, or neither');
  }
  return {
    databaseUrl: required('DATABASE_URL'),
    eventStoreConnectionString: env.EVENTSTORE_CONNECTION_STRING || undefined,
    natsUrl: required('NATS_URL'),
    bootstrapAdmin: email && password ? { email, password } : undefined,
    subjectPrefix: env.NATS_SUBJECT_PREFIX || undefined,
  };
}
