import { randomBytes } from 'node:crypto';
import type { LogLevel } from '@nestjs/common';
import type { EventFeedSettings } from './events/event-feed';

/** Everything the gateway needs from outside; tests build it directly, main.ts from the environment. */
export interface GatewayConfig {
  readonly natsUrl: string;
  readonly databaseUrl: string;
  /** HS256 key for the gateway's JWTs; also the root of the idempotency store's hashing and encryption keys. */
  readonly jwtSecret: string;
  readonly port: number;
  readonly host: string;
  /** Larger JSON bodies are refused with 413 before they are parsed. */
  readonly bodyLimitBytes: number;
  /** Requests per window per tenant (or per principal / IP when there is no tenant). */
  readonly rateLimitPerMinute: number;
  readonly rateLimitWindowMs: number;
  readonly rpcTimeoutMs: number;
  /** How long a verified API key or tenant membership is trusted without asking tenancy again (≤ 5 s). */
  readonly credentialCacheMs: number;
  /** How long a stored idempotent response is replayed (≥ 24 h in production). */
  readonly idempotencyTtlMs: number;
  /** After this long an unfinished request no longer blocks its key (the process handling it died). */
  readonly idempotencyLockMs: number;
  /** Trust X-Forwarded-For for the client IP (only behind a proxy that sets it). */
  readonly trustProxy: boolean;
  /**
   * The bearer secret the platform registry sends with its notifications
   * (POST /v1/registry/events); without one, notifications are refused.
   */
  readonly registryNotifySecret?: string;
  readonly logLevels: LogLevel[] | false;
  /** The live event feed's keepalive, pull size and wait (EVENT_FEED_DEFAULTS when absent); specs shorten them. */
  readonly eventFeed?: Partial<EventFeedSettings>;
}

export const DEFAULTS = {
  port: 8080,
  host: '127.0.0.1',
  bodyLimitBytes: 256 * 1024,
  rateLimitPerMinute: 600,
  rateLimitWindowMs: 60_000,
  rpcTimeoutMs: 5_000,
  credentialCacheMs: 5_000,
  idempotencyTtlMs: 24 * 60 * 60 * 1_000,
  idempotencyLockMs: 60_000,
  trustProxy: false,
  logLevels: ['log', 'warn', 'error', 'fatal'] as LogLevel[],
} as const;

const MAX_CREDENTIAL_CACHE_MS = 5_000;
const MIN_PRODUCTION_SECRET_LENGTH = 32;

export type RequiredConfig = Pick<GatewayConfig, 'natsUrl' | 'databaseUrl' | 'jwtSecret'>;

/** The required settings plus defaults for everything else. */
export function gatewayConfig(config: RequiredConfig & Partial<GatewayConfig>): GatewayConfig {
  const merged: GatewayConfig = { ...DEFAULTS, ...config };
  if (merged.credentialCacheMs > MAX_CREDENTIAL_CACHE_MS)
    throw new Error(
      `credentialCacheMs may be at most ${MAX_CREDENTIAL_CACHE_MS} ms: revocations must take effect fast`,
    );
  return merged;
}

/**
 * Reads NATS_URL, DATABASE_URL, JWT_SECRET, PORT, HOST, BODY_LIMIT_BYTES,
 * RATE_LIMIT_PER_MINUTE, RPC_TIMEOUT_MS, TRUST_PROXY, REGISTRY_NOTIFY_SECRET. A missing JWT_SECRET is fatal in
 * production; elsewhere a random one is used (tokens then die with the process), with
 * a warning.
 */
export function configFromEnv(env: NodeJS.ProcessEnv, warn: (message: string) => void): GatewayConfig {
  const production = env.NODE_ENV === 'production';
  let jwtSecret = env.JWT_SECRET ?? '';
  if (!jwtSecret) {
    if (production) throw new Error('JWT_SECRET must be set in production');
    jwtSecret = randomBytes(32).toString('base64url');
    warn('JWT_SECRET is not set: using a random secret; tokens and stored idempotent responses end with this process');
  } else if (jwtSecret.length < MIN_PRODUCTION_SECRET_LENGTH) {
    const message = `JWT_SECRET must be at least ${MIN_PRODUCTION_SECRET_LENGTH} characters`;
    if (production) throw new Error(message);
    warn(message);
  }
  return gatewayConfig({
    natsUrl: required(env, 'NATS_URL'),
    databaseUrl: required(env, 'DATABASE_URL'),
    jwtSecret,
    port: integer(env, 'PORT', DEFAULTS.port),
    host: env.HOST || DEFAULTS.host,
    bodyLimitBytes: integer(env, 'BODY_LIMIT_BYTES', DEFAULTS.bodyLimitBytes),
    rateLimitPerMinute: integer(env, 'RATE_LIMIT_PER_MINUTE', DEFAULTS.rateLimitPerMinute),
    rpcTimeoutMs: integer(env, 'RPC_TIMEOUT_MS', DEFAULTS.rpcTimeoutMs),
    trustProxy: env.TRUST_PROXY === 'true',
    registryNotifySecret: env.REGISTRY_NOTIFY_SECRET || undefined,
  });
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`${name} must be set`);
  return value;
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw new Error(`${name} must be a positive integer, got '${raw}'`);
  return Number(raw);
}
