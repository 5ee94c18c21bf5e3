import type { LogLevel } from '@nestjs/common';
import { DEFAULT_PORT_RANGE, type PortRange } from './cluster/placement-table';

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
  /** Tests only: listen on `<prefix>.scheduling.…` (see service-transport.ts in @caas/messaging). */
  readonly subjectPrefix?: string;
  /**
   * Tests only: the prefix tenancy listens under (`<prefix>.tenancy.…`), for the quota
   * and environment checks. Defaults to `subjectPrefix`: a test runs both on one prefix.
   */
  readonly tenancySubjectPrefix?: string;
  /** How long requests in flight get to answer on shutdown (default 3 s). */
  readonly shutdownGraceMs?: number;
  readonly logLevels?: LogLevel[];
  /**
   * Docker engines (unix:// endpoints) registered in the shared pool at start-up when
   * no host has them yet, so a local platform has hosts without an admin call.
   */
  readonly bootstrapHosts?: readonly string[];
  /** Host ports published containers get (default 30000-32767). Suites on shared engines each take their own. */
  readonly portRange?: PortRange;
  /**
   * `host:port` of the platform registry as image references name it: such images are
   * pulled with a token from the images service. None: every image must be on the host.
   */
  readonly registryHost?: string;
  /** Tests only: the prefix images listens under. Defaults to `subjectPrefix`. */
  readonly imagesSubjectPrefix?: string;
  /** How often tenants' volume sizes are read from every host for billing (default 5 min). */
  readonly volumeSampleMs?: number;
}

export const SCHEDULING_DEFAULTS = {
  hostTtlMs: 10_000,
  heartbeatIntervalMs: 1_000,
  reconcileIntervalMs: 2_000,
  shutdownGraceMs: 3_000,
  volumeSampleMs: 300_000,
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
    volumeSampleMs: milliseconds('SCHEDULING_VOLUME_SAMPLE_MS', SCHEDULING_DEFAULTS.volumeSampleMs),
    subjectPrefix: env.NATS_SUBJECT_PREFIX || undefined,
    bootstrapHosts: bootstrapHostsFrom(env.SCHEDULING_BOOTSTRAP_HOSTS),
    portRange: portRangeFrom(env.SCHEDULING_PORT_RANGE),
    registryHost: registryHostFrom(env),
  };
}

/** REGISTRY_PUBLIC_HOST, else the host of REGISTRY_URL (as the images service names references). */
export function registryHostFrom(env: NodeJS.ProcessEnv): string | undefined {
  if (env.REGISTRY_PUBLIC_HOST) return env.REGISTRY_PUBLIC_HOST;
  if (!env.REGISTRY_URL) return undefined;
  try {
    return new URL(env.REGISTRY_URL).host;
  } catch {
    throw new Error(`REGISTRY_URL must be a URL like http://127.0.0.1:55000, got '${env.REGISTRY_URL}'`);
  }
}

/**
 * Comma-separated; unix:// only: a TCP engine needs TLS client credentials, which an
 * environment variable is no place for (register those through the API).
 */
export function bootstrapHostsFrom(value: string | undefined): string[] {
  const endpoints = (value ?? '')
    .split(',')
    .map((endpoint) => endpoint.trim())
    .filter(Boolean);
  const wrong = endpoints.filter((endpoint) => !/^unix:\/\/\/\S+$/.test(endpoint));
  if (wrong.length > 0) {
    throw new Error(
      `SCHEDULING_BOOTSTRAP_HOSTS takes unix:///path/to/docker.sock endpoints only, got ${wrong.join(', ')}`,
    );
  }
  return endpoints;
}

/** `first-last`, e.g. `32400-32599`; the default range when unset. */
export function portRangeFrom(value: string | undefined): PortRange {
  if (!value) return DEFAULT_PORT_RANGE;
  const match = /^(\d{1,5})-(\d{1,5})$/.exec(value.trim());
  const [first, last] = match ? [Number(match[1]), Number(match[2])] : [0, 0];
  if (!match || first < 1 || last > 65_535 || first > last) {
    throw new Error(`SCHEDULING_PORT_RANGE must be first-last with 1 <= first <= last <= 65535, got '${value}'`);
  }
  return { first, last };
}
