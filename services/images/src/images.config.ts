import type { LogLevel } from '@nestjs/common';
import { DEFAULT_REGISTRY_ISSUER, DEFAULT_REGISTRY_SERVICE } from '@caas/contracts';

export interface RegistryConfig {
  /** The platform registry, as this service calls it (http://127.0.0.1:55000). */
  readonly url: string;
  /** `host:port` tenants use in `docker pull` (default: the host of `url`). */
  readonly publicHost?: string;
  readonly service: string;
  readonly issuer: string;
  /** PEM files of the token signing key and the certificate the registry trusts. */
  readonly tokenKeyPath: string;
  readonly tokenCertPath: string;
  /** Lifetime of the tokens handed to registry clients (default 300 s). */
  readonly tokenTtlSeconds?: number;
}

export interface ImagesConfig {
  /** The read model's PostgreSQL database; also the event store unless `eventStoreConnectionString` is set. */
  readonly databaseUrl: string;
  /** EventStoreDB (production); PostgreSQL at `databaseUrl` when absent. */
  readonly eventStoreConnectionString?: string;
  readonly natsUrl: string;
  readonly registry: RegistryConfig;
  /**
   * Other registries (imports, replication targets) reached over plain http though not
   * on loopback: `host[:port]` each, IMAGES_INSECURE_REGISTRIES (comma-separated).
   */
  readonly insecureRegistries?: readonly string[];
  /** Tests only: listen on `<prefix>.images.…` (see service-transport.ts in @caas/messaging). */
  readonly subjectPrefix?: string;
  /** Tests only: the prefix tenancy listens under, for memberships. Defaults to `subjectPrefix`. */
  readonly tenancySubjectPrefix?: string;
  /** How long requests in flight get to answer on shutdown (default 3 s). */
  readonly shutdownGraceMs?: number;
  readonly logLevels?: LogLevel[];
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ImagesConfig {
  const required = (name: string): string => {
    const value = env[name];
    if (!value) throw new Error(`${name} is not set`);
    return value;
  };
  const ttl = env.REGISTRY_TOKEN_TTL_SECONDS;
  if (ttl && !(Number.isInteger(Number(ttl)) && Number(ttl) > 0)) {
    throw new Error('REGISTRY_TOKEN_TTL_SECONDS must be a positive integer (seconds)');
  }
  return {
    databaseUrl: required('DATABASE_URL'),
    eventStoreConnectionString: env.EVENTSTORE_CONNECTION_STRING || undefined,
    natsUrl: required('NATS_URL'),
    registry: {
      url: required('REGISTRY_URL'),
      publicHost: env.REGISTRY_PUBLIC_HOST || undefined,
      service: env.REGISTRY_SERVICE || DEFAULT_REGISTRY_SERVICE,
      issuer: env.REGISTRY_ISSUER || DEFAULT_REGISTRY_ISSUER,
      tokenKeyPath: required('REGISTRY_TOKEN_KEY_PATH'),
      tokenCertPath: required('REGISTRY_TOKEN_CERT_PATH'),
      tokenTtlSeconds: ttl ? Number(ttl) : undefined,
    },
    subjectPrefix: env.NATS_SUBJECT_PREFIX || undefined,
    insecureRegistries: (env.IMAGES_INSECURE_REGISTRIES ?? '')
      .split(',')
      .map((host) => host.trim())
      .filter(Boolean),
  };
}
